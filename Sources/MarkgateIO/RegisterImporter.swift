import Foundation
import MarkgateCore

/// A register imported from CSV: the contract's YAML text and the register it holds.
public struct RegisterImport: Sendable, Hashable {
    /// The register in the contract's YAML format (§1), marks in the rows' order.
    public var yaml: String
    /// What `RegisterLoader` reads from `yaml`.
    public var register: Register
}

/// Converts a register written as CSV, one row per mark, into the contract's YAML (`markgate register import`).
///
/// - The header row names the columns with the mark keys of contract §1 (`id`, `names`, `variants`, `kind`,
///   `classes`, `owner`, `recordation`, `licensees`, `generic_names`, `context`, `min_unit_price`), in any order
///   and case; `id` and `names` are required. RFC 4180 quoting (`CSVTokenizer`), a BOM accepted, blank rows
///   skipped.
/// - Lists are separated by `|` (`NIKE|耐克`, classes `25|28`), price floors as `USD:40|CNY:280`; items and
///   single values are trimmed. A list item cannot hold a `|`. An empty cell leaves the key out.
/// - The YAML quotes every string (`"NO"`, `"3M"`, `"null"` stay strings) and is parsed back by
///   `RegisterLoader`, so an import is never produced invalid.
/// - Every problem is an error with the CSV file, line and column of the field (for a problem found in the YAML,
///   the field it came from): unreadable rows, unknown or repeated columns, rows with the wrong number of
///   fields, and whatever the loader refuses (unknown kind, bad class, empty or duplicate id, bad price …).
public enum RegisterImporter {
    /// Imports the CSV file at `path` (`-` is not special here). Throws every error found.
    public static func importCSV(path: String) throws(RegisterLoadError) -> RegisterImport {
        guard let data = FileManager.default.contents(atPath: path) else {
            let start = SourceLocation(file: path, line: 1, column: 1)
            throw RegisterLoadError(diagnostics: [.error(.unreadable, at: start, "cannot read file")])
        }
        return try importCSV(bytes: [UInt8](data), file: path)
    }

    /// Imports CSV bytes; `file` names the input in diagnostics and in the YAML's header comment.
    public static func importCSV(bytes: [UInt8], file: String) throws(RegisterLoadError) -> RegisterImport {
        var converter = Converter(file: file)
        converter.convert(CSVTokenizer(bytes: bytes))
        let reading = RegisterLoader.parseWithLocations(yaml: converter.yaml, file: file)
        let diagnostics = converter.diagnostics + reading.diagnostics.map(converter.translate)
        let errors = diagnostics.filter { $0.severity == .error }.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            return (l.line, l.column, a.offset) < (r.line, r.column, b.offset)
        }.map(\.element)
        guard errors.isEmpty else { throw RegisterLoadError(diagnostics: errors) }
        return RegisterImport(yaml: converter.yaml, register: reading.register)
    }

    /// The columns a CSV register may have: the mark keys of contract §1.
    public static var columns: [String] { RegisterLoader.markKeys }

    /// `text` as a YAML double-quoted scalar: `\` and `"` escaped, and every character YAML would not keep
    /// as written (controls, line and paragraph separators, BOM, non-characters) as an escape.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension Diagnostic.Kind {
    /// A CSV row with more or fewer fields than the header (`RegisterImporter`).
    public static let fieldCount = Diagnostic.Kind(rawValue: "field-count")
    /// A CSV header naming a column twice.
    public static let duplicateColumn = Diagnostic.Kind(rawValue: "duplicate-column")
}

// MARK: - Conversion

extension RegisterImporter {
    /// Where a line of the YAML came from: a CSV field (of a row that defines mark `id`).
    private struct Source {
        var location: SourceLocation
        var id: String
    }

    private struct Converter {
        let file: String
        var lines: [String]
        var diagnostics: [Diagnostic] = []
        /// By YAML line number (1-based).
        private var sources: [Int: Source] = [:]
        /// Where each id was first given, for duplicate-id messages in CSV terms.
        private var firstIds: [String: SourceLocation] = [:]
        private var marks = 0

        init(file: String) {
            self.file = file
            let name = String(String.UnicodeScalarView(
                file.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
            lines = ["# Imported from \(name) by markgate register import (contract §1).", "version: 1"]
        }

        var yaml: String {
            (lines + (marks == 0 ? ["marks: []"] : [])).joined(separator: "\n") + "\n"
        }

        mutating func convert(_ tokenizer: CSVTokenizer) {
            var columns: [Int: String]?   // field index → key
            var width = 0
            for record in tokenizer where !record.isBlank {
                if !record.problems.isEmpty {
                    for problem in record.problems {
                        diagnostics.append(.error(.syntax, at: at(problem.line, problem.column), problem.message))
                    }
                    if columns == nil { return }
                    continue
                }
                guard let known = columns else {
                    columns = header(record)
                    width = record.fields.count
                    guard let columns, columns.values.contains("id"), columns.values.contains("names") else {
                        return
                    }
                    continue
                }
                if record.fields.count != width {
                    let place = record.fields.count > width
                        ? at(record.fields[width].line, record.fields[width].column)
                        : at(record.endLine, record.endColumn)
                    let count = record.fields.count
                    let message = "row has \(count) field\(count == 1 ? "" : "s"), the header has \(width)"
                    diagnostics.append(.error(.fieldCount, at: place, message))
                    continue
                }
                mark(record, columns: known)
            }
            if columns == nil {
                diagnostics.append(.error(.missingField, at: at(1, 1),
                                          "empty CSV: expected a header row naming the columns "
                                              + "(\(RegisterImporter.columns.joined(separator: ", ")))"))
            }
        }

        /// The known columns by field index; an error for each unknown or repeated one, and for `id` or `names`
        /// missing.
        private mutating func header(_ record: CSVRecord) -> [Int: String] {
            var columns: [Int: String] = [:]
            var seen: [String: SourceLocation] = [:]
            for (index, field) in record.fields.enumerated() {
                let name = field.text.trimmingCharacters(in: .whitespaces).lowercased()
                let place = at(field.line, field.column)
                guard RegisterImporter.columns.contains(name) else {
                    let expected = RegisterImporter.columns.joined(separator: ", ")
                    var message = "unknown column \"\(field.text)\" (expected \(expected))"
                    if let guess = RegisterLoader.Validator.closest(to: name, among: RegisterImporter.columns) {
                        message = "unknown column \"\(field.text)\" (did you mean \"\(guess)\"?)"
                    }
                    diagnostics.append(.error(.unknownKey, at: place, message))
                    continue
                }
                if let first = seen[name] {
                    diagnostics.append(.error(.duplicateColumn, at: place,
                                              "column \"\(name)\" given twice (first at \(first))"))
                    continue
                }
                seen[name] = place
                columns[index] = name
            }
            for required in ["id", "names"] where seen[required] == nil {
                diagnostics.append(.error(.missingField, at: at(record.line, record.column),
                                          "the header has no `\(required)` column"))
            }
            return columns
        }

        /// Appends the YAML lines of one row's mark, keys in the contract's order.
        private mutating func mark(_ record: CSVRecord, columns: [Int: String]) {
            var cells: [String: CSVField] = [:]
            for (index, key) in columns { cells[key] = record.fields[index] }
            let idField = cells["id"]!
            let id = idField.text.trimmingCharacters(in: .whitespaces)
            if firstIds[id] == nil { firstIds[id] = at(idField.line, idField.column) }
            if marks == 0 { lines.append("marks:") }
            marks += 1

            var first = true
            for key in RegisterImporter.columns {
                guard let field = cells[key] else { continue }
                let text = field.text.trimmingCharacters(in: .whitespaces)
                if text.isEmpty && key != "id" && key != "names" { continue }
                guard let value = yamlValue(key: key, text: text, field: field) else { continue }
                lines.append((first ? "  - " : "    ") + key + ": " + value)
                sources[lines.count] = Source(location: at(field.line, field.column), id: id)
                first = false
            }
        }

        /// The YAML for one cell, or nil (with an error) when it cannot be written as YAML.
        private mutating func yamlValue(key: String, text: String, field: CSVField) -> String? {
            switch key {
            case "id", "kind", "owner", "recordation":
                return RegisterImporter.quoted(text)
            case "classes":
                let items = Self.items(text).map { item in
                    item.count <= 6 && !item.isEmpty && item.allSatisfy({ $0.isASCII && $0.isNumber })
                        ? item : RegisterImporter.quoted(item)
                }
                return "[" + items.joined(separator: ", ") + "]"
            case "min_unit_price":
                var entries: [String] = []
                var currencies: Set<String> = []
                for item in Self.items(text) {
                    let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    guard parts.count == 2 else {
                        diagnostics.append(.error(.badPrice, at: at(field.line, field.column),
                                                  "price floor \"\(item)\" must be CODE:AMOUNT, e.g. USD:40"))
                        return nil
                    }
                    let code = parts[0].trimmingCharacters(in: .whitespaces)
                    let amount = parts[1].trimmingCharacters(in: .whitespaces)
                    guard currencies.insert(code).inserted else {
                        diagnostics.append(.error(.badPrice, at: at(field.line, field.column),
                                                  "currency \"\(code)\" has two price floors"))
                        return nil
                    }
                    let value = Self.isPlainDecimal(amount) ? amount : RegisterImporter.quoted(amount)
                    entries.append(RegisterImporter.quoted(code) + ": " + value)
                }
                return "{" + entries.joined(separator: ", ") + "}"
            default:   // names, variants, licensees, generic_names, context
                return "[" + Self.items(text).map(RegisterImporter.quoted).joined(separator: ", ") + "]"
            }
        }

        /// A diagnostic of the parsed YAML, moved to the CSV field its line came from.
        func translate(_ diagnostic: Diagnostic) -> Diagnostic {
            guard let source = sources[diagnostic.location.line] else {
                var moved = diagnostic
                moved.location = at(1, 1)
                return moved
            }
            var moved = diagnostic
            moved.location = source.location
            if diagnostic.kind == .duplicateId, let first = firstIds[source.id] {
                moved.message = "duplicate id \"\(source.id)\" (first defined at \(first))"
            }
            return moved
        }

        private func at(_ line: Int, _ column: Int) -> SourceLocation {
            SourceLocation(file: file, line: line, column: column)
        }

        /// `a | b|c` → ["a", "b", "c"]; an empty cell → [].
        static func items(_ text: String) -> [String] {
            guard !text.isEmpty else { return [] }
            return text.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }

        /// Digits with at most one `.` between digits (`40`, `199.5`): written to YAML as a number.
        static func isPlainDecimal(_ text: String) -> Bool {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            return (1...2).contains(parts.count)
                && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        }
    }
}
