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
public struct NiceClassTableLoadError: Error, Hashable, CustomStringConvertible, LocalizedError {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One line per diagnostic: `file:line:column: error: message [kind]`.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }

    public var errorDescription: String? { description }
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
        var text = yaml
        var duplicates: [Diagnostic] = []
        // Yams refuses a mapping with two identical keys outright. Each round reports the later copies of
        // such keys and blanks their lines (keeping the line numbers), so that the rest is still checked.
        for _ in 0..<100 {
            do {
                let root = try Yams.compose(yaml: text)
                var validator = Validator(file: file)
                validator.table(root)
                return (NiceClassTable(prefixes: validator.entries), inReadingOrder(duplicates + validator.diagnostics))
            } catch let YamlError.duplicatedKeysInMapping(keys, context) {
                let copies = laterCopies(of: keys, in: text)
                guard !copies.isEmpty else {
                    let location = SourceLocation(file: file, line: max(context.mark.line, 1), column: max(context.mark.column, 1))
                    let kind: Diagnostic.Kind = keys.allSatisfy(isDigits) ? .duplicateHSCode : .syntax
                    let list = keys.map { "\"\($0)\"" }.joined(separator: ", ")
                    duplicates.append(.error(kind, at: location, "duplicate key \(list) in a mapping"))
                    return (NiceClassTable(prefixes: [:]), inReadingOrder(duplicates))
                }
                for copy in copies {
                    let location = SourceLocation(file: file, line: copy.line, column: copy.column)
                    let first = SourceLocation(file: file, line: copy.firstLine, column: copy.column)
                    if isDigits(copy.key) {
                        duplicates.append(.error(.duplicateHSCode, at: location,
                                                 "duplicate HS prefix \"\(copy.key)\" (first listed at \(first))"))
                    } else {
                        duplicates.append(.error(.syntax, at: location, "duplicate key \"\(copy.key)\" (first at \(first))"))
                    }
                }
                text = blanking(lines: Set(copies.map(\.line)), in: text)
            } catch {
                let syntax = RegisterLoader.syntaxDiagnostic(for: error, yaml: text, file: file)
                return (NiceClassTable(prefixes: [:]), inReadingOrder(duplicates + [syntax]))
            }
        }
        return (NiceClassTable(prefixes: [:]), inReadingOrder(duplicates))
    }
}

// MARK: - Duplicate keys

extension NiceClassTableLoader {
    /// A later copy of a key written in block style (`key: value` on a line of its own).
    struct KeyCopy: Hashable {
        var key: String
        var line: Int
        var column: Int
        var firstLine: Int
    }

    /// The later copies of `keys` among the block-mapping keys of `text`, each at the column of the first copy.
    static func laterCopies(of keys: [String], in text: String) -> [KeyCopy] {
        let wanted = Set(keys)
        var first: [String: (line: Int, column: Int)] = [:]
        var copies: [KeyCopy] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let (key, column) = blockKey(in: line), wanted.contains(key) else { continue }
            if let earlier = first[key] {
                if earlier.column == column {
                    copies.append(KeyCopy(key: key, line: index + 1, column: column, firstLine: earlier.line))
                }
            } else {
                first[key] = (index + 1, column)
            }
        }
        return copies
    }

    /// The key of a line `  key: value` (key plain, "double" or 'single' quoted) and its 1-based scalar column.
    static func blockKey(in line: Substring) -> (key: String, column: Int)? {
        let scalars = Array(line.unicodeScalars)
        var i = 0
        while i < scalars.count, scalars[i] == " " { i += 1 }
        guard i < scalars.count, !["#", "-", "?", "{", "[", "&", "*", "!", "|", ">"].contains(scalars[i]) else { return nil }
        let column = i + 1
        var key = String.UnicodeScalarView()
        if scalars[i] == "\"" || scalars[i] == "'" {
            let quote = scalars[i]
            i += 1
            while i < scalars.count, scalars[i] != quote {
                if scalars[i] == "\\" { return nil }  // escapes: leave it to the first report
                key.append(scalars[i])
                i += 1
            }
            guard i < scalars.count else { return nil }
            i += 1
            while i < scalars.count, scalars[i] == " " { i += 1 }
            guard i < scalars.count, scalars[i] == ":" else { return nil }
        } else {
            while i < scalars.count {
                if scalars[i] == ":", i + 1 == scalars.count || [" ", "\t", "\r"].contains(scalars[i + 1]) { break }
                if scalars[i] == "#", i > 0, scalars[i - 1] == " " { return nil }
                key.append(scalars[i])
                i += 1
            }
            guard i < scalars.count else { return nil }
        }
        let text = String(key).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : (text, column)
    }

    /// `text` with the given 1-based lines emptied (their line breaks kept).
    static func blanking(lines: Set<Int>, in text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { lines.contains($0.offset + 1) ? "" : String($0.element) }
            .joined(separator: "\n")
    }

    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    static func inReadingOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            return (l.line, l.column, a.offset) < (r.line, r.column, b.offset)
        }.map(\.element)
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
