import Foundation
import MarkgateCore
import Yams

/// Text-level help for the YAML loaders: composing a document whose mappings repeat keys, and putting
/// diagnostics in reading order.
enum YAMLText {
    /// Composes `yaml` into a node tree, reporting each repeated key instead of stopping at the first.
    ///
    /// Yams refuses a mapping with two identical keys outright. Each round reports the later copies of such
    /// keys through `duplicate` (the copy, where it is, where the first copy is) and blanks their lines, keeping
    /// the line numbers, so that the rest of the document is still composed and checked. A repeated key that
    /// cannot be located (written in flow style, `{a: 1, a: 2}`) is reported through `unlocated` (the keys and
    /// where Yams stopped), any other YAML error as `.syntax`; `root` is then nil and `composed` false.
    static func compose(
        yaml: String,
        file: String,
        duplicate: (KeyCopy, _ at: SourceLocation, _ first: SourceLocation) -> Diagnostic,
        unlocated: ([String], SourceLocation) -> Diagnostic
    ) -> (root: Node?, composed: Bool, diagnostics: [Diagnostic]) {
        var text = yaml
        var diagnostics: [Diagnostic] = []
        for _ in 0..<100 {
            do {
                return (try Yams.compose(yaml: text), true, diagnostics)
            } catch let YamlError.duplicatedKeysInMapping(keys, context) {
                let copies = laterCopies(of: keys, in: text)
                guard !copies.isEmpty else {
                    let location = SourceLocation(file: file, line: max(context.mark.line, 1),
                                                  column: max(context.mark.column, 1))
                    diagnostics.append(unlocated(keys, location))
                    return (nil, false, diagnostics)
                }
                for copy in copies {
                    diagnostics.append(duplicate(copy, SourceLocation(file: file, line: copy.line, column: copy.column),
                                                 SourceLocation(file: file, line: copy.firstLine, column: copy.column)))
                }
                text = blanking(lines: Set(copies.map(\.line)), in: text)
            } catch {
                diagnostics.append(RegisterLoader.syntaxDiagnostic(for: error, yaml: text, file: file))
                return (nil, false, diagnostics)
            }
        }
        return (nil, false, diagnostics)
    }

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
        let indicators: [Unicode.Scalar] = ["#", "-", "?", "{", "[", "&", "*", "!", "|", ">"]
        guard i < scalars.count, !indicators.contains(scalars[i]) else { return nil }
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

    /// The diagnostics sorted by line and column, those at one place kept in the order they were found.
    static func inReadingOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            return (l.line, l.column, a.offset) < (r.line, r.column, b.offset)
        }.map(\.element)
    }
}
