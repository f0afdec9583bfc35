import Foundation
import MarkgateCore
import MarkgateIO
import Testing

/// A register and the lint warnings it must give: kind and place (`ExpectedDiagnostic`, severity warning).
struct LintCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var expected: [ExpectedDiagnostic]
    /// Texts the first warning's message must hold (the mark, the name).
    var message: [String] = []

    var testDescription: String { name }
}

private func w(_ kind: Diagnostic.Kind, _ line: Int, _ column: Int) -> ExpectedDiagnostic {
    ExpectedDiagnostic(kind, line, column, .warning)
}

private let lintCases: [LintCase] = [
    // Everyday words that are not generic.
    LintCase(name: "everyday English name APPLE", yaml: """
        marks:
          - id: APPLE
            names: [APPLE]
        """, expected: [w(.everydayName, 3, 13)], message: ["\"APPLE\"", "APPLE", "English"]),
    LintCase(name: "everyday Chinese name 苹果", yaml: """
        marks:
          - id: APPLE
            names: [APPLE-INC, 苹果]
        """, expected: [w(.everydayName, 3, 24)], message: ["\"苹果\"", "APPLE", "Chinese"]),
    LintCase(name: "everyday Chinese name 小米", yaml: """
        marks:
          - id: XIAOMI
            names: [XIAOMI, 小米]
        """, expected: [w(.everydayName, 3, 21)], message: ["\"小米\"", "XIAOMI"]),
    LintCase(name: "traditional 蘋果 is judged in its simplified form", yaml: """
        marks:
          - id: APPLE
            names: [蘋果]
        """, expected: [w(.everydayName, 3, 13)], message: ["苹果"]),
    LintCase(name: "an everyday variant cannot be made generic", yaml: """
        marks:
          - id: KOACH
            names: [KOACH]
            variants: [coach]
        """, expected: [w(.everydayName, 4, 16)], message: ["variant \"coach\"", "remove"]),
    LintCase(name: "brand names that the word lists hold as proper names are not everyday words", yaml: """
        marks:
          - id: NIKE
            names: [NIKE, 耐克]
          - id: CHANEL
            names: [Chanel, 香奈儿]
          - id: GUCCI
            names: [GUCCI, 古驰]
          - id: HUAWEI
            names: [HUAWEI, 华为]
        """, expected: []),
    LintCase(name: "names of several everyday words are not judged", yaml: """
        marks:
          - id: NEW-BALANCE
            names: [NEW BALANCE, THE NORTH FACE]
        """, expected: []),
    LintCase(name: "everyday names listed as generic, with context, are fine", yaml: """
        marks:
          - id: APPLE
            names: [APPLE, 苹果, APPLE INC]
            generic_names: [apple, 苹果]
            context: [iphone, ipad]
        """, expected: []),

    // Names shared by marks.
    LintCase(name: "two marks share a name after normalization", yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
          - id: NIKE-CN
            names: [ｎｉｋｅ, 耐克]
        """, expected: [w(.sharedName, 5, 13)],
        message: ["\"ｎｉｋｅ\" of NIKE-CN", "\"NIKE\" of NIKE", "register.yaml:3:13"]),
    LintCase(name: "a variant of one mark is a name of another", yaml: """
        marks:
          - id: ADIDAS
            names: [ADIDAS]
            variants: [ABIBAS]
          - id: ABIBAS
            names: [Abibas]
        """, expected: [w(.sharedName, 6, 13)], message: ["ABIBAS"]),
    LintCase(name: "three marks: each later one is reported", yaml: """
        marks:
          - id: A
            names: [KUBU]
          - id: B
            names: [Ｋｕｂｕ]
          - id: C
            names: [kubu]
        """, expected: [w(.sharedName, 5, 13), w(.sharedName, 7, 13)]),
    LintCase(name: "a name repeated within one mark is not shared", yaml: """
        marks:
          - id: RAY-BAN
            names: [RAYBAN, RayBan]
            variants: [RAYBAN]
        """, expected: []),

    // Short names.
    LintCase(name: "a two-letter name", yaml: """
        marks:
          - id: LOUIS-VUITTON
            names: [LOUIS VUITTON, LV]
        """, expected: [w(.shortName, 3, 28)], message: ["\"LV\"", "LOUIS-VUITTON", "two letters"]),
    LintCase(name: "a letter and a digit", yaml: """
        marks:
          - id: "3M"
            names: ["3M"]
        """, expected: [w(.shortName, 3, 13)], message: ["\"3M\""]),
    LintCase(name: "a one-letter variant", yaml: """
        marks:
          - id: XYZZY
            names: [XYZZY]
            variants: [X]
        """, expected: [w(.shortName, 4, 16)], message: ["variant \"X\"", "one letter"]),
    LintCase(name: "one CJK character", yaml: """
        marks:
          - id: LI
            names: [LI-NING, 李]
        """, expected: [w(.shortName, 3, 22)], message: ["one character"]),
    LintCase(name: "context words do not confine a short name that is not generic", yaml: """
        marks:
          - id: LV
            names: [LOUIS VUITTON, LV]
            context: [monogram]
        """, expected: [w(.shortName, 3, 28)]),
    LintCase(name: "a short generic name with context is fine", yaml: """
        marks:
          - id: LV
            names: [LOUIS VUITTON, LV]
            generic_names: [LV]
            context: [monogram]
        """, expected: []),
    LintCase(name: "three letters and two CJK characters are not short", yaml: """
        marks:
          - id: BYD
            names: [BYD, 大疆, SK-II]
        """, expected: []),

    // Generic names.
    LintCase(name: "a generic name without context counts only beside another name", yaml: """
        marks:
          - id: XIAOMI
            names: [XIAOMI, 小米]
            generic_names: [小米]
        """, expected: [w(.genericWithoutContext, 4, 21)], message: ["\"小米\"", "XIAOMI", "beside another"]),
    LintCase(name: "every name generic, with context", yaml: """
        marks:
          - id: PANDORA
            names: [PANDORA, 潘多拉]
            generic_names: [PANDORA, 潘多拉]
            context: [charm]
        """, expected: [w(.allNamesGeneric, 2, 9)], message: ["every name of PANDORA"]),
    LintCase(name: "every name generic, without context: can never count", yaml: """
        marks:
          - id: APPLE
            names: [APPLE, 苹果]
            generic_names: [APPLE, 苹果]
        """, expected: [w(.allNamesGeneric, 2, 9), w(.genericWithoutContext, 4, 21),
                        w(.genericWithoutContext, 4, 28)], message: ["APPLE", "no context"]),
    LintCase(name: "context words that normalize to nothing are no context", yaml: """
        marks:
          - id: XIAOMI
            names: [XIAOMI, 小米]
            generic_names: [小米]
            context: ["!!"]
        """, expected: [w(.genericWithoutContext, 4, 21)]),

    // Prices and unmatchable names.
    LintCase(name: "a price floor in RMB", yaml: """
        marks:
          - id: MOUTAI-X
            names: [MOUTAIX]
            min_unit_price: {USD: 100, RMB: 700}
        """, expected: [w(.unknownCurrency, 4, 21)], message: ["\"RMB\"", "MOUTAI-X", "CNY"]),
    LintCase(name: "a name of punctuation only", yaml: """
        marks:
          - id: QWXZ
            names: [QWXZ, "…!"]
        """, expected: [w(.unmatchableName, 3, 19)], message: ["\"…!\"", "QWXZ"]),

    // Clean.
    LintCase(name: "a clean register gives no warning", yaml: """
        version: 1
        marks:
          - id: NIKE
            names: [NIKE, 耐克]
            variants: [Naike Air]
            kind: well-known
            classes: [25, 28]
            min_unit_price: {USD: 40, CNY: 250}
          - id: OMEGA
            names: [OMEGA, 欧米茄]
            generic_names: [OMEGA]
            context: [seamaster, watch]
            min_unit_price: {CHF: 900}
          - id: SK-II
            names: [SK-II]
            variants: [SK2]
        """, expected: []),
]

@Test("lint warns at the right place", arguments: lintCases)
func lintWarnings(_ testCase: LintCase) throws {
    let reading = RegisterLoader.parseWithLocations(yaml: testCase.yaml, file: "register.yaml")
    try #require(reading.errors.isEmpty, "\(reading.errors)")
    let warnings = RegisterLint.warnings(register: reading.register, locations: reading.locations)
    #expect(warnings.map(ExpectedDiagnostic.init) == testCase.expected,
            "\(warnings.map(\.description).joined(separator: "\n"))")
    #expect(warnings.allSatisfy { $0.severity == .warning && $0.location.file == "register.yaml" })
    if let first = warnings.first {
        for text in testCase.message { #expect(first.message.contains(text), "\(first.message)") }
    }
}

/// The everyday-word rule on its own: normalized names.
@Test(arguments: [
    ("apple", "English"), ("coach", "English"), ("puma", "English"), ("champagne", "English"),
    ("nike", nil), ("chanel", nil), ("gucci", nil), ("tiffany", nil), ("new balance", nil), ("3m", nil),
    ("苹果", "Chinese"), ("小米", "Chinese"), ("香槟", "Chinese"), ("耐克", nil), ("华为", nil), ("索尼", nil),
    ("苹果 apple", nil), ("", nil),
] as [(String, String?)])
func everydayLanguage(_ key: String, _ language: String?) {
    #expect(RegisterLint.everydayLanguage(ofKey: key) == language)
}

@Test func marksWithoutLocationsAreReportedAtTheRegister() {
    let register = Register(marks: [Mark(id: "A", names: ["APPLE"]), Mark(id: "B", names: ["apple"])])
    let warnings = RegisterLint.warnings(register: register, locations: [:])
    #expect(warnings.map(\.kind) == [.everydayName, .everydayName, .sharedName])
    #expect(warnings.allSatisfy { $0.location == MarkgateCore.SourceLocation(file: "(register)", line: 1, column: 1) })
}

// MARK: - The shipped register

private let shippedRegister = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Rules/register.yaml").path

/// Reviewed: jieba tags these product names as common nouns (`n`), so the rule takes them for everyday words;
/// each is the brand itself in any goods description.
private let reviewedEverydayNames: Set<String> = ["佳能", "茅台", "五粮液"]

@Test("The shipped register lints: no errors, and only reviewed warnings")
func shippedRegisterLints() throws {
    let reading = RegisterLoader.loadWithLocations(path: shippedRegister)
    #expect(reading.diagnostics.isEmpty, "\(reading.diagnostics)")
    let warnings = RegisterLint.warnings(register: reading.register, locations: reading.locations)
    let allowed: Set<Diagnostic.Kind> = [.everydayName, .allNamesGeneric]
    for warning in warnings where !allowed.contains(warning.kind) {
        Issue.record("unexpected: \(warning)")
    }
    for warning in warnings where warning.kind == .everydayName {
        #expect(reviewedEverydayNames.contains { warning.message.contains("\"\($0)\"") }, "\(warning)")
    }
    // Marks whose every name is generic are so by design (they count beside their context words).
    let allGeneric = warnings.filter { $0.kind == .allNamesGeneric }.compactMap { warning in
        reading.register.marks.first { warning.message.contains("every name of \($0.id) ") }?.id
    }
    #expect(Set(allGeneric).isSubset(of: ["PANDORA", "APPLE", "SUPREME", "CHAMPAGNE", "3M"]), "\(allGeneric)")
}
