import Foundation
import MarkgateCore
import MarkgateIO
import Testing

/// Rules that load, and the lint warnings they must draw against `RulesLintTests.register`.
struct RulesLintCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var expected: [ExpectedDiagnostic]
    /// Text that the first warning's message must contain, if any.
    var message: String? = nil

    var testDescription: String { name }
}

@Suite("RulesLint")
struct RulesLintTests {
    static let register = Register(marks: [
        Mark(id: "NIKE", names: ["NIKE", "耐克"], variants: ["Naike Air"],
             licensees: ["Nike Commercial (China) Co., Ltd."],
             minUnitPrice: [PriceFloor(currency: "USD", amount: 40)]),
        Mark(id: "GUCCI", names: ["GUCCI", "古驰"], minUnitPrice: [PriceFloor(currency: "CHF", amount: 90)]),
    ])

    /// Rules that lint clean: every signal on a line of its own (mark-exact on line 4 … risky-origin on 19),
    /// rates on line 20, so that cases edit a line in place or add parts from line 21.
    static let base = """
        version: 1
        thresholds: {review: 0.5, inspect: 0.8}
        weights:
          mark-exact: 0.6
          mark-normalized: 0.6
          mark-variant: 0.8
          mark-homoglyph: 0.8
          mark-traditional: 0.7
          mark-pinyin: 0.7
          mark-homophone: 0.7
          mark-fuzzy: 0.4
          mark-fuzzy-similarity: 0.3
          class-coherent: 0.05
          price-below-floor: 0.3
          slang: 0.3
          denylisted-consignor: 0.5
          commercial-quantity: 0.1
          several-marks: 0.1
          risky-origin: 0.1
        rates: {USD: 1, CHF: 1.1}

        """

    /// `base` with whole lines replaced (`"  slang: 0.3"` → `"  slang: 0"`), then `more` added.
    static func rules(_ replacements: [String: String] = [:], _ more: String = "") -> String {
        var text = base
        for (line, replacement) in replacements {
            precondition(text.contains(line + "\n"), "no line \(line)")
            text = text.replacingOccurrences(of: line + "\n", with: replacement.isEmpty ? "" : replacement + "\n")
        }
        return text + more
    }

    static let cases: [RulesLintCase] = [
        RulesLintCase(name: "clean rules", yaml: rules(), expected: []),
        // unknown-mark
        RulesLintCase(name: "an allowlisted mark the register lacks, the nearest id suggested", yaml: rules([:], """
            allowlist: [{consignor: ACME, mark: NIKEE}, {consignor: B, mark: NIKE}]
            """), expected: [.init(.unknownMark, 21, 37, .warning)], message: "did you mean \"NIKE\"?"),
        // denied-licensee
        RulesLintCase(name: "a denylisted consignor who is a licensee", yaml: rules([:], """
            denylist:
              - {name: ACME Trading}
              - {name: "NIKE COMMERCIAL", note: "held inside the licensee's full name"}
            """), expected: [.init(.deniedLicensee, 23, 12, .warning)],
            message: "\"NIKE COMMERCIAL\" is also a licensee of NIKE (\"Nike Commercial (China) Co., Ltd.\")"),
        // duplicate-slang, slang-is-name, empty-term
        RulesLintCase(name: "slang listed twice, as written and after normalization", yaml: rules([:], """
            slang: [replica, 高仿, replica, Ｒｅｐｌｉｃａ, 高 仿]
            """), expected: [
                .init(.duplicateSlang, 21, 22, .warning), .init(.duplicateSlang, 21, 31, .warning),
                .init(.duplicateSlang, 21, 40, .warning),
            ], message: "listed twice; first at rules.yaml:21:9"),
        RulesLintCase(name: "slang that is a register name or variant", yaml: rules([:], """
            slang: [nike, replica, naike air, 古驰]
            """), expected: [
                .init(.slangIsName, 21, 9, .warning), .init(.slangIsName, 21, 24, .warning),
                .init(.slangIsName, 21, 35, .warning),
            ], message: "also a name of NIKE (\"NIKE\")"),
        RulesLintCase(name: "slang that normalizes to nothing", yaml: rules([:], """
            slang: ["★★", "…"]
            """), expected: [.init(.emptyTerm, 21, 9, .warning), .init(.emptyTerm, 21, 15, .warning)],
            message: "never matches"),
        // never-fires
        RulesLintCase(name: "signals weighing 0",
            yaml: rules(["  slang: 0.3": "  slang: 0", "  mark-pinyin: 0.7": "  mark-pinyin: 0"]),
            expected: [.init(.neverFires, 9, 3, .warning), .init(.neverFires, 15, 3, .warning)],
            message: "mark-pinyin weighs 0, so it never fires: marks found this way are listed as hits"),
        RulesLintCase(name: "a signal left out", yaml: rules(["  risky-origin: 0.1": ""]),
            expected: [.init(.neverFires, 3, 1, .warning)], message: "risky-origin has no weight"),
        RulesLintCase(name: "similarity weighing 0: fuzzy hits weigh mark-fuzzy alone, below review",
            yaml: rules(["  mark-fuzzy-similarity: 0.3": "  mark-fuzzy-similarity: 0"]),
            expected: [.init(.weakMarkSignal, 11, 3, .warning), .init(.neverFires, 12, 3, .warning)],
            message: "a fuzzy hit weighs at most 0.4 (0.4 + 0 × similarity"),
        RulesLintCase(name: "mark-fuzzy weighing 0 still fires through similarity (and is weak)",
            yaml: rules(["  mark-fuzzy: 0.4": "  mark-fuzzy: 0"]),
            expected: [.init(.weakMarkSignal, 11, 3, .warning)]),
        RulesLintCase(name: "both fuzzy weights 0: fuzzy hits never fire",
            yaml: rules(["  mark-fuzzy: 0.4": "  mark-fuzzy: 0",
                         "  mark-fuzzy-similarity: 0.3": "  mark-fuzzy-similarity: 0"]),
            expected: [.init(.neverFires, 11, 3, .warning), .init(.neverFires, 12, 3, .warning)]),
        // weak-mark-signal
        RulesLintCase(name: "mark signals lighter than review on their own",
            yaml: rules(["  mark-exact: 0.6": "  mark-exact: 0.45", "  mark-homophone: 0.7": "  mark-homophone: 0.2"]),
            expected: [.init(.weakMarkSignal, 4, 3, .warning), .init(.weakMarkSignal, 10, 3, .warning)],
            message: "an exact hit weighs 0.45 on its own, below review 0.5: a parcel whose only evidence"),
        // equal-thresholds
        RulesLintCase(name: "review equal to inspect",
            yaml: rules(["thresholds: {review: 0.5, inspect: 0.8}": "thresholds: {review: 0.5, inspect: 0.5}"]),
            expected: [.init(.equalThresholds, 2, 36, .warning)], message: "no parcel is ever sent to review"),
        // missing-rate
        RulesLintCase(name: "a price floor in a currency without a rate",
            yaml: rules(["rates: {USD: 1, CHF: 1.1}": "rates: {USD: 1}"]),
            expected: [.init(.missingRate, 20, 1, .warning)], message: "price floors in CHF (GUCCI) have no rate"),
    ]

    @Test("each judgement call is a warning at the value", arguments: cases)
    func lint(_ testCase: RulesLintCase) throws {
        let parsed = RulesLoader.parse(yaml: testCase.yaml, file: "rules.yaml")
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics.map(\.description).joined(separator: "\n"))")
        let rules = try #require(parsed.rules)
        let warnings = RulesLint.warnings(rules: rules, register: Self.register, locations: parsed.locations)
        #expect(warnings.map(ExpectedDiagnostic.init) == testCase.expected,
                "\(warnings.map(\.description).joined(separator: "\n"))")
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.location.file == "rules.yaml" })
        if let message = testCase.message {
            let first = try #require(warnings.first)
            #expect(first.message.contains(message), "\(first.message)")
        }
    }

    @Test("rules from no file are linted at the start of a named stand-in")
    func withoutLocations() {
        var rules = Rules.builtIn
        rules.inspect = rules.review
        rules.allowlist = [.init(consignor: "ACME", mark: "ROLEXX")]
        let warnings = RulesLint.warnings(rules: rules, register: Self.register)
        #expect(warnings.map(\.kind) == [.equalThresholds, .unknownMark, .missingRate])
        #expect(warnings.allSatisfy { $0.location == SourceLocation(file: "(built-in rules)", line: 1, column: 1) })
    }

    @Test("the built-in rules lint clean against the shipped register")
    func builtInAgainstShippedRegister() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let register = try RegisterLoader.load(path: root.appendingPathComponent("Rules/register.yaml").path).register
        let warnings = RulesLint.warnings(rules: .builtIn, register: register)
        #expect(warnings.isEmpty, "\(warnings.map(\.description).joined(separator: "\n"))")
    }
}
