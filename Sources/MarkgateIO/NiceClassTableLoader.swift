import Foundation
import MarkgateCore
import Yams

extension Diagnostic.Kind {
    /// An HS prefix that is not 2, 4 or 6 ASCII digits of a real chapter (01–97 but 77) and heading.
    public static let badHSCode = Diagnostic.Kind(rawValue: "bad-hs-code")
    /// An HS prefix listed twice in the HS → Nice class table.
    public static let duplicateHSCode = Diagnostic.Kind(rawValue: "duplicate-hs-code")
}

/// A table of HS prefixes to Nice classes that could not be loaded: every diagnostic found, in file order.
public struct NiceClassTableLoadError: DiagnosticsError, Hashable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}

/// Loads and validates the HS → Nice class table (`Rules/hs-nice.yaml`):
///
/// ```yaml
/// version: 1
/// hs:
///   "61": [25]        # apparel, knitted
///   "6402": [25]      # footwear
/// ```
///
/// Validation never stops at the first problem: each is reported as a `Diagnostic` at the offending node
/// (1-based line and column, columns in Unicode scalars). An entry with an error is left out of the table.
public enum NiceClassTableLoader {
    /// Loads and validates the table; throws `NiceClassTableLoadError` (with every diagnostic) on any error.
    public static func load(path: String) throws(NiceClassTableLoadError) -> NiceClassTable {
        let start = SourceLocation(file: path, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NiceClassTableLoadError(diagnostics: [.error(.unreadable, at: start, "no such file")])
        }
        guard !isDirectory.boolValue else {
            throw NiceClassTableLoadError(diagnostics: [.error(.unreadable, at: start, "is a folder, not a YAML file")])
        }
        switch RegisterLoader.read(file: path) {
        case .unreadable(let diagnostic):
            throw NiceClassTableLoadError(diagnostics: [diagnostic])
        case .text(let text):
            let (table, diagnostics) = parse(yaml: text, file: path)
            guard !diagnostics.contains(where: { $0.severity == .error }) else {
                throw NiceClassTableLoadError(diagnostics: diagnostics)
            }
            return table
        }
    }

    /// Parses one YAML document; never throws. `file` is used in diagnostics' locations only.
    ///
    /// `table` holds the entries that were found free of errors; `diagnostics` are in reading order.
    public static func parse(yaml: String, file: String) -> (table: NiceClassTable, diagnostics: [Diagnostic]) {
        // A repeated HS prefix is reported at its later copy, and the rest is still checked.
        let (root, composed, duplicates) = YAMLText.compose(
            yaml: yaml, file: file,
            duplicate: { copy, location, first in
                isDigits(copy.key)
                    ? .error(.duplicateHSCode, at: location, "duplicate HS prefix \"\(copy.key)\" (first listed at \(first))")
                    : .error(.syntax, at: location, "duplicate key \"\(copy.key)\" (first at \(first))")
            },
            unlocated: { keys, location in
                let kind: Diagnostic.Kind = keys.allSatisfy(isDigits) ? .duplicateHSCode : .syntax
                let list = keys.map { "\"\($0)\"" }.joined(separator: ", ")
                return .error(kind, at: location, "duplicate key \(list) in a mapping")
            })
        guard composed else { return (NiceClassTable(prefixes: [:]), YAMLText.inReadingOrder(duplicates)) }
        var validator = Validator(file: file)
        validator.table(root)
        return (NiceClassTable(prefixes: validator.entries), YAMLText.inReadingOrder(duplicates + validator.diagnostics))
    }
}

// MARK: - Keys

extension NiceClassTableLoader {
    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }
}

// MARK: - Validation

extension NiceClassTableLoader {
    /// Walks a composed YAML tree, collecting the valid entries and one diagnostic per problem.
    struct Validator: YAMLValidating {
        let file: String
        var entries: [String: [Int]] = [:]
        var diagnostics: [Diagnostic] = []
        /// Where each HS prefix was first listed.
        var firstDefinitions: [String: SourceLocation] = [:]

        init(file: String) {
            self.file = file
        }

        mutating func table(_ root: Node?) {
            guard let root else {
                error(.missingField, at: SourceLocation(file: file, line: 1, column: 1),
                      "empty table: expected a mapping with `version` and `hs`")
                return
            }
            guard case .mapping(let top) = root else {
                error(.wrongType, root, "expected a mapping with `version` and `hs` at the top level, found \(describe(root))")
                return
            }
            var hsNode: Node?
            for (key, value) in top {
                switch key.scalar?.string {
                case "version":
                    if let number = integer(value) {
                        if number != 1 { error(.badVersion, value, "unsupported version \(number) (expected 1)") }
                    } else {
                        error(.badVersion, value, "version must be the integer 1, found \(describe(value))")
                    }
                case "hs":
                    hsNode = value
                default:
                    let name = key.scalar.map { "\"\($0.string)\"" } ?? describe(key)
                    diagnostics.append(.warning(.unknownKey, at: location(key),
                                                "unknown key \(name) at the top level (expected `version` or `hs`)"))
                }
            }
            guard let hsNode else {
                error(.missingField, root, "missing `hs` (a mapping of HS prefixes to Nice classes)")
                return
            }
            guard case .mapping(let mapping) = hsNode else {
                error(.wrongType, hsNode, "`hs` must map quoted HS prefixes to lists of Nice classes, e.g. \"6402\": [25], found \(describe(hsNode))")
                return
            }
            for (key, value) in mapping {
                let prefix = self.prefix(key)
                let classes = self.classes(value, prefix: prefix ?? key.scalar?.string ?? "?")
                if let prefix, let classes { entries[prefix] = classes }
            }
        }

        // MARK: Keys

        /// The HS prefix a key spells, or nil (reported) when it is not one or was listed before.
        mutating func prefix(_ key: Node) -> String? {
            guard case .scalar(let scalar) = key else {
                error(.wrongType, key, "an HS prefix must be a quoted string of digits, found \(describe(key))")
                return nil
            }
            // The text as written: an unquoted 0101 is an octal integer to YAML, but its digits are all here.
            let text = isNull(key) ? "" : scalar.string
            guard !text.isEmpty else {
                error(.badHSCode, key, "empty HS prefix (expected 2, 4 or 6 digits, e.g. \"6402\")")
                return nil
            }
            guard isDigits(text) else {
                // Digits split by dots, spaces or dashes (`6404.11`): suggest them joined.
                let digits = text.unicodeScalars.filter { ("0"..."9").contains($0) }
                let separatorsOnly = text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ". -_:\t".unicodeScalars.contains($0) }
                var message = "HS prefix \"\(text)\" must be digits only"
                if separatorsOnly, [2, 4, 6].contains(digits.count) {
                    message += ", e.g. \"\(String(String.UnicodeScalarView(digits)))\""
                } else {
                    message += " (2, 4 or 6 of them)"
                }
                error(.badHSCode, key, message)
                return nil
            }
            guard [2, 4, 6].contains(text.count) else {
                var message = "HS prefix \"\(text)\" has \(text.count) digit\(text.count == 1 ? "" : "s") (expected 2 for a chapter, 4 for a heading, 6 for a subheading)"
                if text.count % 2 == 1 && scalar.style == .plain {
                    message += "; write it in quotes with its leading zero, e.g. \"0\(text)\""
                }
                error(.badHSCode, key, message)
                return nil
            }
            let chapter = Int(text.prefix(2)) ?? 0
            guard (1...97).contains(chapter), chapter != 77 else {
                error(.badHSCode, key, chapter == 77
                      ? "HS chapter 77 is reserved and holds no goods"
                      : "HS prefix \"\(text)\" names no chapter (chapters run from 01 to 97)")
                return nil
            }
            if text.count >= 4, text.dropFirst(2).prefix(2) == "00" {
                error(.badHSCode, key, "HS prefix \"\(text)\" names no heading (headings of chapter \(text.prefix(2)) start at \(text.prefix(2))01)")
                return nil
            }
            if let first = firstDefinitions[text] {
                error(.duplicateHSCode, key, "duplicate HS prefix \"\(text)\" (first listed at \(first))")
                return nil
            }
            firstDefinitions[text] = location(key)
            if scalar.style == .plain, text.hasPrefix("0") {
                diagnostics.append(.warning(.badHSCode, at: location(key),
                                            "quote HS prefix \(text): unquoted, other YAML readers take it for a number and lose its digits"))
            }
            return text
        }

        // MARK: Values

        /// The classes of one entry (deduplicated, in written order), or nil when they have any error.
        mutating func classes(_ node: Node, prefix: String) -> [Int]? {
            if isNull(node) {
                error(.missingField, node, "HS prefix \"\(prefix)\" lists no Nice class (expected a list such as [25])")
                return nil
            }
            guard case .sequence(let items) = node else {
                let example = node.scalar.map { "[\($0.string)]" } ?? "[25]"
                error(.wrongType, node, "the classes of HS prefix \"\(prefix)\" must be a list, e.g. \(example), found \(describe(node))")
                return nil
            }
            guard !items.isEmpty else {
                error(.missingField, node, "HS prefix \"\(prefix)\" lists no Nice class (expected a list such as [25])")
                return nil
            }
            let before = errorCount
            let classes = niceClasses(items)
            return errorCount == before ? classes : nil
        }

        // MARK: Scalars

        func isDigits(_ text: String) -> Bool { NiceClassTableLoader.isDigits(text) }

        // MARK: Reporting

        var errorCount: Int { diagnostics.count(where: { $0.severity == .error }) }

    }
}
