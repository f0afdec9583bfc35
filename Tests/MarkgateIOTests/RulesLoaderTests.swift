import Foundation
import MarkgateCore
import MarkgateIO
import Testing

/// A rules file and the errors it must give: kind, line and column of each.
struct BadRulesCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var expected: [ExpectedDiagnostic]
    /// Text that the first diagnostic's message must contain, if any.
    var message: String? = nil

    var testDescription: String { name }
}

/// A rules file and the `Rules` it must load into.
struct GoodRulesCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var rules: Rules

    var testDescription: String { name }
}

@Suite("RulesLoader")
struct RulesLoaderTests {
    /// The three required parts, valid: cases that break something else start from line 4.
    static let head = """
        version: 1
        thresholds: {review: 0.5, inspect: 0.8}
        weights: {mark-exact: 0.6}

        """

    // MARK: Bad rules

    static let badCases: [BadRulesCase] = [
        // syntax, duplicate-key
        BadRulesCase(name: "syntax error at the unclosed list", yaml: head + """
            slang: [replica
            rates: {USD: 1}
            """, expected: [.init(.syntax, 5, 6)]),
        BadRulesCase(name: "a key written twice, reported at the later copy, the rest still checked", yaml: """
            version: 1
            thresholds:
              review: 0.5
              inspect: 0.8
              review: 0.6
            weights:
              mark-exact: 0.6
              slang: 0.3
              mark-exact: 0.7
              risky-origin: 2
            """, expected: [.init(.duplicateKey, 5, 3), .init(.duplicateKey, 9, 3), .init(.badWeight, 10, 17)],
            message: "duplicate key \"review\" (first at rules.yaml:3:3)"),
        BadRulesCase(name: "a key written twice in flow style", yaml: """
            version: 1
            thresholds: {review: 0.5, inspect: 0.8, review: 0.6}
            weights: {}
            """, expected: [.init(.duplicateKey, 2, 14)]),   // where Yams stops
        // missing-field
        BadRulesCase(name: "empty file", yaml: "", expected: [.init(.missingField, 1, 1)]),
        BadRulesCase(name: "version, thresholds and weights missing", yaml: """
            slang: [replica]
            """, expected: [.init(.missingField, 1, 1), .init(.missingField, 1, 1), .init(.missingField, 1, 1)],
            message: "missing `version: 1`"),
        BadRulesCase(name: "a threshold missing", yaml: """
            version: 1
            thresholds: {review: 0.5}
            weights: {}
            """, expected: [.init(.missingField, 2, 13)], message: "`inspect`"),
        BadRulesCase(name: "denylist entries without a name", yaml: head + """
            denylist:
              - {note: no name}
              - {name: "  ", note: blank name}
              - {name: ~}
            """, expected: [.init(.missingField, 5, 5), .init(.missingField, 6, 12), .init(.missingField, 7, 5)]),
        BadRulesCase(name: "allowlist entries without a consignor or a mark", yaml: head + """
            allowlist:
              - {mark: NIKE}
              - {consignor: ACME}
              - {consignor: "", mark: NIKE}
            """, expected: [.init(.missingField, 5, 5), .init(.missingField, 6, 5), .init(.missingField, 7, 17)]),
        // wrong-type
        BadRulesCase(name: "top level is a list", yaml: """
            - version: 1
            """, expected: [.init(.wrongType, 1, 1)]),
        BadRulesCase(name: "values of the wrong type", yaml: """
            version: 1
            thresholds: 0.5
            weights: [mark-exact]
            slang: replica
            denylist: [ACME Trading]
            allowlist: {NIKE: ACME}
            quantity: 20
            origins: [CN]
            rates: [USD]
            """, expected: [
                .init(.wrongType, 2, 13), .init(.wrongType, 3, 10), .init(.wrongType, 4, 8), .init(.wrongType, 5, 12),
                .init(.wrongType, 6, 12), .init(.wrongType, 7, 11), .init(.wrongType, 8, 10), .init(.wrongType, 9, 8),
            ]),
        BadRulesCase(name: "quoted numbers and other scalars where numbers belong", yaml: """
            version: 1
            thresholds: {review: "0.5", inspect: high}
            weights: {mark-exact: "0.6", slang: ~}
            quantity: {commercial: lots}
            rates: {USD: one}
            """, expected: [
                .init(.wrongType, 2, 22), .init(.wrongType, 2, 38), .init(.wrongType, 3, 23), .init(.wrongType, 3, 37),
                .init(.wrongType, 4, 24), .init(.wrongType, 5, 14),
            ], message: "\"0.5\" in quotes"),
        BadRulesCase(name: "lists holding mappings and lists", yaml: head + """
            slang: [[replica]]
            origins: {risky: [{CN: 1}]}
            denylist: [{name: [ACME]}]
            """, expected: [.init(.wrongType, 4, 9), .init(.wrongType, 5, 19), .init(.wrongType, 6, 19)]),
        // unknown-key
        BadRulesCase(name: "a misspelt top-level key, with the nearest suggested", yaml: head + """
            treshold: {review: 0.5}
            """, expected: [.init(.unknownKey, 4, 1)], message: "did you mean \"thresholds\"?"),
        BadRulesCase(name: "unknown keys in every mapping", yaml: """
            version: 1
            thresholds: {review: 0.5, inspect: 0.8, flag: 0.3}
            weights: {}
            denylist: [{name: ACME, reason: fakes}]
            allowlist: [{consignor: ACME, mark: NIKE, marks: [ADIDAS]}]
            quantity: {commercial: 20, personal: 2}
            origins: {risky: [CN], safe: [DE]}
            """, expected: [
                .init(.unknownKey, 2, 41), .init(.unknownKey, 4, 25), .init(.unknownKey, 5, 43),
                .init(.unknownKey, 6, 28), .init(.unknownKey, 7, 24),
            ], message: "expected `review` or `inspect`"),
        // bad-version
        BadRulesCase(name: "unsupported version", yaml: """
            version: 2
            thresholds: {review: 0.5, inspect: 0.8}
            weights: {}
            """, expected: [.init(.badVersion, 1, 10)], message: "unsupported version 2"),
        BadRulesCase(name: "version that is not an integer", yaml: """
            version: one
            thresholds: {review: 0.5, inspect: 0.8}
            weights: {}
            """, expected: [.init(.badVersion, 1, 10)]),
        // bad-threshold
        BadRulesCase(name: "thresholds outside 0 < t ≤ 1", yaml: """
            version: 1
            thresholds: {review: 0, inspect: 1.2}
            weights: {}
            """, expected: [.init(.badThreshold, 2, 22), .init(.badThreshold, 2, 34)],
            message: "every parcel would be flagged"),
        BadRulesCase(name: "review above inspect", yaml: """
            version: 1
            thresholds:
              review: 0.9
              inspect: 0.8
            weights: {}
            """, expected: [.init(.badThreshold, 3, 11)], message: "`review` 0.9 is above `inspect` 0.8"),
        // unknown-signal, bad-weight
        BadRulesCase(name: "a misspelt signal, with the nearest suggested", yaml: """
            version: 1
            thresholds: {review: 0.5, inspect: 0.8}
            weights:
              mark-exat: 0.6
              price-floor: 0.3
            """, expected: [.init(.unknownSignal, 4, 3), .init(.unknownSignal, 5, 3)],
            message: "did you mean \"mark-exact\"?"),
        BadRulesCase(name: "weights outside 0–1, and not finite", yaml: """
            version: 1
            thresholds: {review: 0.5, inspect: 0.8}
            weights:
              mark-exact: 1.5
              slang: -0.1
              risky-origin: .nan
              several-marks: .inf
              mark-fuzzy: 1
              class-coherent: 0
            """, expected: [
                .init(.badWeight, 4, 15), .init(.badWeight, 5, 10), .init(.badWeight, 6, 17), .init(.badWeight, 7, 18),
            ], message: "the weight of mark-exact is 1.5"),
        // empty-term
        BadRulesCase(name: "empty slang terms", yaml: head + """
            slang: [replica, "", ~, "  "]
            """, expected: [.init(.emptyTerm, 4, 18), .init(.emptyTerm, 4, 22), .init(.emptyTerm, 4, 25)]),
        // bad-id
        BadRulesCase(name: "an allowlisted mark id with a space", yaml: head + """
            allowlist: [{consignor: ACME, mark: NI KE}]
            """, expected: [.init(.badId, 4, 37)]),
        // bad-quantity
        BadRulesCase(name: "commercial quantity of zero or less", yaml: head + """
            quantity: {commercial: 0}
            """, expected: [.init(.badQuantity, 4, 24)]),
        // bad-origin
        BadRulesCase(name: "origins that are not two letters", yaml: head + """
            origins: {risky: [CHN, C1, "", CN]}
            """, expected: [.init(.badOrigin, 4, 19), .init(.badOrigin, 4, 24), .init(.badOrigin, 4, 28)],
            message: "origin \"CHN\" is not an ISO 3166 alpha-2 code"),
        // bad-currency, bad-rate
        BadRulesCase(name: "currencies that are not 3 upper-case letters", yaml: head + """
            rates:
              usd: 1
              US: 1
              US$: 1
              "": 1
              CNY: 0.14
            """, expected: [
                .init(.badCurrency, 5, 3), .init(.badCurrency, 6, 3), .init(.badCurrency, 7, 3),
                .init(.badCurrency, 8, 3),
            ], message: "currency \"usd\" is not an ISO 4217 code"),
        BadRulesCase(name: "rates of zero, below zero, and not finite", yaml: head + """
            rates: {USD: 0, CNY: -0.14, EUR: .inf}
            """, expected: [.init(.badRate, 4, 14), .init(.badRate, 4, 22), .init(.badRate, 4, 34)]),
        BadRulesCase(name: "every problem of one file at once", yaml: """
            version: 3
            thresholds: {review: 0.9, inspect: 0.8}
            weights:
              mark-exact: 2
              mark-exactly: 0.6
            slang: [""]
            denylist: [{note: x}]
            rates: {usd: 0}
            colour: blue
            """, expected: [
                .init(.badVersion, 1, 10), .init(.badThreshold, 2, 22), .init(.badWeight, 4, 15),
                .init(.unknownSignal, 5, 3), .init(.emptyTerm, 6, 9), .init(.missingField, 7, 12),
                .init(.badCurrency, 8, 9), .init(.badRate, 8, 14), .init(.unknownKey, 9, 1),
            ]),
    ]

    @Test("bad rules report each problem at its node", arguments: badCases)
    func badRules(_ testCase: BadRulesCase) throws {
        let result = RulesLoader.parse(yaml: testCase.yaml, file: "rules.yaml")
        #expect(result.diagnostics.map(ExpectedDiagnostic.init) == testCase.expected,
                "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(result.diagnostics.allSatisfy { $0.location.file == "rules.yaml" && !$0.message.isEmpty })
        #expect(result.rules == nil)
        if let message = testCase.message {
            let first = try #require(result.diagnostics.first)
            #expect(first.message.contains(message), "\(first.message)")
        }
    }

    // MARK: Good rules

    static let goodCases: [GoodRulesCase] = [
        GoodRulesCase(name: "every part set", yaml: """
            version: 1
            thresholds:
              review: 0.45
              inspect: 0.85
            weights:
              mark-exact: 0.6
              mark-fuzzy: 0.35
              mark-fuzzy-similarity: 0.3
              price-below-floor: 0.25
              denylisted-consignor: 1
              class-coherent: 0
            slang: [replica, "1:1", 高仿, A货]
            denylist:
              - {name: ACME Trading, note: "three seizures in 2025"}
              - name: Fake Goods Ltd
            allowlist:
              - {consignor: Shenzhen Spare Parts Co., mark: NIKE, note: "case 2026-114"}
              - consignor: Some Reseller
                mark: LOUIS-VUITTON
            quantity: {commercial: 12.5}
            origins: {risky: [CN, hk, CN]}
            rates: {USD: 1, CNY: 0.14, JPY: 0.0067}
            """, rules: Rules(
                review: 0.45, inspect: 0.85,
                weights: [.markExact: 0.6, .markFuzzy: 0.35, .markFuzzySimilarity: 0.3, .priceBelowFloor: 0.25,
                          .denylistedConsignor: 1, .classCoherent: 0],
                slang: ["replica", "1:1", "高仿", "A货"],
                denylist: [.init(name: "ACME Trading", note: "three seizures in 2025"), .init(name: "Fake Goods Ltd")],
                allowlist: [.init(consignor: "Shenzhen Spare Parts Co.", mark: "NIKE", note: "case 2026-114"),
                            .init(consignor: "Some Reseller", mark: "LOUIS-VUITTON")],
                commercialQuantity: 12.5, riskyOrigins: ["CN", "HK"],
                rates: ["USD": 1, "CNY": 0.14, "JPY": 0.0067])),
        GoodRulesCase(name: "only the required parts: empty lists, no commercial quantity", yaml: """
            version: 1
            thresholds: {review: 1, inspect: 1}
            weights: {}
            """, rules: Rules(review: 1, inspect: 1, weights: [:])),
        GoodRulesCase(name: "optional parts left empty", yaml: """
            version: 1
            thresholds: {review: 0.5, inspect: 0.8}
            weights: {slang: 0.3}
            slang:
            denylist: []
            allowlist:
            quantity:
            origins: {risky: []}
            rates:
            """, rules: Rules(review: 0.5, inspect: 0.8, weights: [.slang: 0.3])),
        GoodRulesCase(name: "scalars YAML reads as other types are taken as written", yaml: """
            version: 1
            thresholds: {review: 0.5, inspect: 0.8}
            weights: {}
            slang: [1:1, yes, 007]
            denylist: [{name: 12345, note: 2025-03-01}]
            origins: {risky: [NO, no, On]}
            """, rules: Rules(review: 0.5, inspect: 0.8, weights: [:], slang: ["1:1", "yes", "007"],
                              denylist: [.init(name: "12345", note: "2025-03-01")], riskyOrigins: ["NO", "ON"])),
    ]

    @Test("good rules load into their values", arguments: goodCases)
    func goodRules(_ testCase: GoodRulesCase) throws {
        let result = RulesLoader.parse(yaml: testCase.yaml, file: "rules.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(result.rules == testCase.rules)
    }

    @Test("locations point at each slang term, denylisted name, allowlisted mark and weight")
    func locations() throws {
        let result = RulesLoader.parse(yaml: """
            version: 1
            thresholds: {review: 0.5, inspect: 0.8}
            weights:
              mark-exact: 0.6
            slang: [replica, "", 高仿]
            denylist: [{name: ACME}]
            allowlist:
              - {consignor: B, mark: NIKE}
            rates: {USD: 1}
            """, file: "r.yaml")
        let at = { (line: Int, column: Int) in SourceLocation(file: "r.yaml", line: line, column: column) }
        let locations = result.locations
        #expect(locations.review == at(2, 22) && locations.inspect == at(2, 36))
        #expect(locations.weights == at(3, 1) && locations.weightOf == [.markExact: at(4, 3)])
        #expect(locations.slang == [at(5, 9), at(5, 22)])   // the empty term is an error, not a term
        #expect(locations.denylist == [at(6, 19)])
        #expect(locations.allowlist == [at(8, 26)])
        #expect(locations.rates == at(9, 1))
    }

    // MARK: Files

    @Test("load: a missing file, a folder and invalid UTF-8 are errors; errors throw with every diagnostic")
    func loadErrors() throws {
        let missing = try #require(throws: RulesLoadError.self) {
            try RulesLoader.load(path: "/nonexistent/rules.yaml")
        }
        #expect(missing.diagnostics.map(ExpectedDiagnostic.init) == [.init(.unreadable, 1, 1)])

        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("markgate-rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let isFolder = try #require(throws: RulesLoadError.self) { try RulesLoader.load(path: folder) }
        #expect(isFolder.diagnostics.map(ExpectedDiagnostic.init) == [.init(.unreadable, 1, 1)])

        let notUTF8 = folder + "/not-utf8.yaml"
        let bytes = Array("version: 1\nslang: [re".utf8) + [0xFF] + Array("plica]\n".utf8)
        #expect(FileManager.default.createFile(atPath: notUTF8, contents: Data(bytes)))
        let utf8 = try #require(throws: RulesLoadError.self) { try RulesLoader.load(path: notUTF8) }
        #expect(utf8.diagnostics.map(ExpectedDiagnostic.init) == [.init(.syntax, 2, 11)])

        let bad = folder + "/bad.yaml"
        try "\u{FEFF}version: 1\nthresholds: {review: 0.5, inspect: 0.8}\nweights: {slang: 3, mark: 1}\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let error = try #require(throws: RulesLoadError.self) { try RulesLoader.load(path: bad) }
        #expect(error.diagnostics.map(ExpectedDiagnostic.init)
                    == [.init(.badWeight, 3, 18), .init(.unknownSignal, 3, 21)])
        #expect(error.description.hasPrefix("\(bad):3:18: error: the weight of slang is 3"))
        #expect(error.description.split(separator: "\n").count == 2)
    }

    // MARK: The shipped file

    /// `Rules/rules.yaml` of this repository.
    static let shippedPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // MarkgateIOTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Rules/rules.yaml").path

    @Test("the shipped Rules/rules.yaml equals Rules.builtIn and loads without any diagnostic")
    func shippedEqualsBuiltIn() throws {
        let (rules, text, warnings, locations) = try RulesLoader.load(path: Self.shippedPath)
        #expect(warnings.isEmpty, "\(warnings.map(\.description).joined(separator: "\n"))")
        #expect(rules == Rules.builtIn)
        // Field by field, so that a difference says where it is.
        let builtIn = Rules.builtIn
        #expect(rules.review == builtIn.review && rules.inspect == builtIn.inspect)
        for signal in Signal.allCases {
            #expect(rules.weights[signal] == builtIn.weights[signal], "\(signal.rawValue)")
        }
        #expect(rules.slang == builtIn.slang)
        #expect(rules.denylist == builtIn.denylist && rules.allowlist == builtIn.allowlist)
        #expect(rules.commercialQuantity == builtIn.commercialQuantity && rules.riskyOrigins == builtIn.riskyOrigins)
        #expect(rules.rates == builtIn.rates)
        // Every signal is written out, so the file documents them all.
        #expect(Set(locations.weightOf.keys) == Set(Signal.allCases))
        #expect(text.hasPrefix("# markgate rules"))
        let hash = try #require(ContentHash.file(at: Self.shippedPath))
        #expect(hash == ContentHash.text(text))   // no BOM: the text's bytes are the file's
        #expect(hash.hasPrefix("sha256:") && hash.count == 7 + 64)
    }
}
