import Foundation
import MarkgateCore

/// Counts that describe a register (`markgate register stats`): marks, names, scopes, floors, matcher size.
///
/// Built from a loaded register; the automaton figures come from building `MarkMatcher` once (milliseconds for
/// a few thousand names). `table` is the plain-text rendering, `json` one JSON object with sorted keys.
public struct RegisterStats: Sendable, Hashable, Codable {
    public var marks: Int
    /// By `MarkKind` raw value; every kind is present, 0 included.
    public var marksByKind: [String: Int]
    public var names: Int
    /// By `NameScript` raw value (`latin`, `cjk`, `mixed`, `other`); every script is present.
    public var namesByScript: [String: Int]
    public var variants: Int
    /// Distinct normalized forms of the names and variants (what the automaton matches, before pinyin).
    public var normalizedNames: Int
    /// Marks protected in listed Nice classes only.
    public var marksWithClasses: Int
    /// Marks without `classes` (protected for all goods).
    public var marksForAllClasses: Int
    /// The distinct Nice classes named by any mark, ascending.
    public var classesNamed: [Int]
    public var marksWithLicensees: Int
    public var licensees: Int
    public var marksWithGenericNames: Int
    public var genericNames: Int
    public var contextWords: Int
    public var marksWithPriceFloors: Int
    /// Price floors by currency code.
    public var priceFloorsByCurrency: [String: Int]
    public var marksWithOwner: Int
    public var marksWithRecordation: Int
    /// Patterns of the exact automaton: normalized names and variants, and the pinyin of Chinese names.
    public var automatonPatterns: Int
    public var automatonStates: Int
    public var automatonBytes: Int

    enum CodingKeys: String, CodingKey {
        case marks, names, variants, licensees, contextWords = "context_words"
        case marksByKind = "marks_by_kind", namesByScript = "names_by_script", normalizedNames = "normalized_names"
        case marksWithClasses = "marks_with_classes", marksForAllClasses = "marks_for_all_classes"
        case classesNamed = "classes_named", marksWithLicensees = "marks_with_licensees"
        case marksWithGenericNames = "marks_with_generic_names", genericNames = "generic_names"
        case marksWithPriceFloors = "marks_with_price_floors", priceFloorsByCurrency = "price_floors_by_currency"
        case marksWithOwner = "marks_with_owner", marksWithRecordation = "marks_with_recordation"
        case automatonPatterns = "automaton_patterns", automatonStates = "automaton_states"
        case automatonBytes = "automaton_bytes"
    }

    public init(register: Register) {
        let marks = register.marks
        let normalizer = Normalizer()
        self.marks = marks.count
        marksByKind = Dictionary(uniqueKeysWithValues: MarkKind.allCases.map { kind in
            (kind.rawValue, marks.count { $0.kind == kind })
        })
        let allNames = marks.flatMap(\.names)
        names = allNames.count
        var byScript = Dictionary(uniqueKeysWithValues: NameScript.allCases.map { ($0.rawValue, 0) })
        for name in allNames { byScript[NameScript(of: name).rawValue, default: 0] += 1 }
        namesByScript = byScript
        variants = marks.reduce(0) { $0 + $1.variants.count }
        normalizedNames = Set((allNames + marks.flatMap(\.variants)).map(normalizer.key).filter { !$0.isEmpty }).count
        marksWithClasses = marks.count { !$0.classes.isEmpty }
        marksForAllClasses = marks.count { $0.classes.isEmpty }
        classesNamed = Set(marks.flatMap(\.classes)).sorted()
        marksWithLicensees = marks.count { !$0.licensees.isEmpty }
        licensees = marks.reduce(0) { $0 + $1.licensees.count }
        marksWithGenericNames = marks.count { !$0.genericNames.isEmpty }
        genericNames = marks.reduce(0) { $0 + $1.genericNames.count }
        contextWords = marks.reduce(0) { $0 + $1.context.count }
        marksWithPriceFloors = marks.count { !$0.minUnitPrice.isEmpty }
        var floors: [String: Int] = [:]
        for floor in marks.flatMap(\.minUnitPrice) { floors[floor.currency, default: 0] += 1 }
        priceFloorsByCurrency = floors
        marksWithOwner = marks.count { $0.owner != nil }
        marksWithRecordation = marks.count { $0.recordation != nil }
        let matcher = MarkMatcher(register: register, normalizer: normalizer)
        automatonPatterns = matcher.automaton.patternCount
        automatonStates = matcher.automaton.stateCount
        automatonBytes = matcher.automaton.memoryBytes
    }

    /// One JSON object, keys sorted, on one line.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain integers, strings and dictionaries of them cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A plain-text table: one figure a line, breakdowns indented under their total.
    public var table: String {
        var rows: [(String, String)] = []
        func row(_ label: String, _ value: Int, _ note: String = "") {
            rows.append((label, Self.grouped(value) + (note.isEmpty ? "" : "  " + note)))
        }
        row("marks", marks)
        for kind in MarkKind.allCases { row("  " + kind.rawValue, marksByKind[kind.rawValue] ?? 0) }
        row("names", names)
        for script in NameScript.allCases { row("  " + script.label, namesByScript[script.rawValue] ?? 0) }
        row("variants", variants)
        row("normalized names", normalizedNames, "distinct, names and variants")
        row("marks with classes", marksWithClasses)
        row("marks for all classes", marksForAllClasses)
        row("classes named", classesNamed.count, "of 45")
        row("licensees", licensees, "on \(marksWithLicensees) marks")
        row("generic names", genericNames, "on \(marksWithGenericNames) marks")
        row("context words", contextWords)
        row("price floors", priceFloorsByCurrency.values.reduce(0, +), "on \(marksWithPriceFloors) marks")
        for (currency, count) in priceFloorsByCurrency.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            row("  " + currency, count)
        }
        row("owners", marksWithOwner)
        row("recordations", marksWithRecordation)
        row("automaton patterns", automatonPatterns, "names, variants and pinyin of Chinese names")
        row("automaton states", automatonStates)
        row("automaton bytes", automatonBytes)
        let width = rows.map(\.0.count).max() ?? 0
        let valueWidth = rows.map { $0.1.prefix { $0 != " " }.count }.max() ?? 0
        return rows.map { label, value in
            let number = value.prefix { $0 != " " }
            let padding = String(repeating: " ", count: width - label.count + 2 + valueWidth - number.count)
            return label + padding + value
        }.joined(separator: "\n")
    }
}

extension RegisterStats {
    /// `1234567` → `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }
}

/// The script of a register name, judged by its letters: Latin only, CJK only, both, or anything else (another
/// script, or no letters at all).
public enum NameScript: String, Sendable, CaseIterable {
    case latin
    case cjk
    case mixed
    case other

    public init(of name: String) {
        var latin = false, cjk = false
        for scalar in name.unicodeScalars where scalar.properties.isAlphabetic {
            if Self.isCJK(scalar) {
                cjk = true
            } else if Self.isLatin(scalar) {
                latin = true
            } else {
                self = .other
                return
            }
        }
        switch (latin, cjk) {
        case (true, true): self = .mixed
        case (true, false): self = .latin
        case (false, true): self = .cjk
        case (false, false): self = .other
        }
    }

    var label: String {
        switch self {
        case .latin: "Latin"
        case .cjk: "CJK"
        case .mixed: "mixed"
        case .other: "other"
        }
    }

    /// Basic Latin, Latin-1, Latin Extended A/B and Additional, and full-width Latin letters.
    static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xAA, 0xBA, 0xC0...0x24F, 0x1E00...0x1EFF, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            true
        default:
            false
        }
    }

    /// Scripts written without spaces: Han, kana, Hangul, Bopomofo, CJK symbols (the ranges the matcher uses).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3031...0x3035, 0x3038...0x303C,
             0x3040...0x30FF, 0x3100...0x312F, 0x3130...0x318F, 0x31A0...0x31FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFF66...0xFF9F,
             0x1B000...0x1B16F, 0x20000...0x3FFFF:
            true
        default:
            false
        }
    }
}
