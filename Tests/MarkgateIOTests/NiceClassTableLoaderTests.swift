import Foundation
import MarkgateCore
import MarkgateIO
import Testing

/// One expected diagnostic of the HS → Nice class table: kind, where it points, severity.
struct BadNiceTableCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var expected: [ExpectedDiagnostic]
    /// The entries that survive (those free of errors).
    var entries: [String: [Int]] = [:]
    /// Text that the first diagnostic's message must contain, if any.
    var message: String? = nil

    var testDescription: String { name }
}

struct GoodNiceTableCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var entries: [String: [Int]]
    var warnings: [ExpectedDiagnostic] = []

    var testDescription: String { name }
}

/// A must-hold lookup on the shipped table: the code and a class its entry must hold (`exactly`: be).
struct ShippedNiceLookup: Sendable, CustomTestStringConvertible {
    var code: String
    var classes: [Int]
    var exactly = true

    var testDescription: String { "\(code) → \(classes)" }
}

@Suite("NiceClassTableLoader")
struct NiceClassTableLoaderTests {
    // MARK: Bad tables

    static let badCases: [BadNiceTableCase] = [
        BadNiceTableCase(
            name: "syntax error at the unclosed list",
            yaml: """
            version: 1
            hs:
              "61": [25
              "62": [25]
            """,
            expected: [.init(.syntax, 4, 7)]
        ),
        BadNiceTableCase(
            name: "empty document",
            yaml: "",
            expected: [.init(.missingField, 1, 1)]
        ),
        BadNiceTableCase(
            name: "top level is a list",
            yaml: """
            - "61": [25]
            """,
            expected: [.init(.wrongType, 1, 1)]
        ),
        BadNiceTableCase(
            name: "no hs key",
            yaml: """
            version: 1
            """,
            expected: [.init(.missingField, 1, 1)],
            message: "hs"
        ),
        BadNiceTableCase(
            name: "hs is a list",
            yaml: """
            version: 1
            hs:
              - "61"
            """,
            expected: [.init(.wrongType, 3, 3)]
        ),
        BadNiceTableCase(
            name: "hs is empty",
            yaml: """
            hs:
            """,
            expected: [.init(.wrongType, 1, 4)]
        ),
        BadNiceTableCase(
            name: "unsupported version, entries still read",
            yaml: """
            version: 2
            hs:
              "61": [25]
            """,
            expected: [.init(.badVersion, 1, 10)],
            entries: ["61": [25]]
        ),
        BadNiceTableCase(
            name: "unknown top-level key is a warning",
            yaml: """
            version: 1
            hs_codes: {}
            hs:
              "61": [25]
            """,
            expected: [.init(.unknownKey, 2, 1, .warning)],
            entries: ["61": [25]]
        ),
        BadNiceTableCase(
            name: "prefix of 3, 5 and 8 digits",
            yaml: """
            hs:
              "640": [25]
              "64041": [25]
              "64041100": [25]
              "6404": [25]
            """,
            expected: [.init(.badHSCode, 2, 3), .init(.badHSCode, 3, 3), .init(.badHSCode, 4, 3)],
            entries: ["6404": [25]]
        ),
        BadNiceTableCase(
            name: "dotted and spaced prefixes",
            yaml: """
            hs:
              "6404.11": [25]
              "42 02": [18]
            """,
            expected: [.init(.badHSCode, 2, 3), .init(.badHSCode, 3, 3)],
            message: "\"640411\""
        ),
        BadNiceTableCase(
            name: "unquoted 1 lost its leading zero",
            yaml: """
            hs:
              1: [31]
            """,
            expected: [.init(.badHSCode, 2, 3)],
            message: "\"01\""
        ),
        BadNiceTableCase(
            name: "hex, underscored and sexagesimal integers cannot be read back as digits",
            yaml: """
            hs:
              0x1A: [31]
              6_402: [25]
              64:02: [25]
            """,
            expected: [.init(.badHSCode, 2, 3), .init(.badHSCode, 3, 3), .init(.badHSCode, 4, 3)],
            message: "\"0x1A\" must be digits only (2, 4 or 6 of them)"
        ),
        BadNiceTableCase(
            name: "letters, empty and null prefixes",
            yaml: """
            hs:
              "HS64": [25]
              "": [25]
              ~: [25]
            """,
            expected: [.init(.badHSCode, 2, 3), .init(.badHSCode, 3, 3), .init(.badHSCode, 4, 3)]
        ),
        BadNiceTableCase(
            name: "chapters 00, 77, 98 and heading 00",
            yaml: """
            hs:
              "00": [1]
              "77": [6]
              "98": [12]
              "6400": [25]
              "640000": [25]
            """,
            expected: [
                .init(.badHSCode, 2, 3), .init(.badHSCode, 3, 3), .init(.badHSCode, 4, 3),
                .init(.badHSCode, 5, 3), .init(.badHSCode, 6, 3),
            ]
        ),
        BadNiceTableCase(
            name: "a list as a key",
            yaml: """
            hs:
              ? ["61", "62"]
              : [25]
            """,
            expected: [.init(.wrongType, 2, 5)]
        ),
        BadNiceTableCase(
            name: "classes outside 1–45",
            yaml: """
            hs:
              "61": [0, 25]
              "62": [25, 46]
              "64": [-3]
            """,
            expected: [.init(.badClass, 2, 10), .init(.badClass, 3, 14), .init(.badClass, 4, 10)]
        ),
        BadNiceTableCase(
            name: "classes that are not whole numbers",
            yaml: """
            hs:
              "61": [25.5]
              "62": [clothing]
              "64": [[25]]
            """,
            expected: [.init(.wrongType, 2, 10), .init(.wrongType, 3, 10), .init(.wrongType, 4, 10)]
        ),
        BadNiceTableCase(
            name: "empty and missing class lists",
            yaml: """
            hs:
              "61": []
              "62":
              "63": ~
              "64": [25]
            """,
            expected: [.init(.missingField, 2, 9), .init(.missingField, 3, 8), .init(.missingField, 4, 9)],
            entries: ["64": [25]]
        ),
        BadNiceTableCase(
            name: "classes not in a list",
            yaml: """
            hs:
              "61": 25
              "62": {25: shirts}
            """,
            expected: [.init(.wrongType, 2, 9), .init(.wrongType, 3, 9)],
            message: "[25]"
        ),
        BadNiceTableCase(
            name: "the same prefix twice, reported at the second, the rest still checked",
            yaml: """
            hs:
              "6402": [25]
              "6403": [25]
              "6402": [18]
              "6404": [99]
            """,
            expected: [.init(.duplicateHSCode, 4, 3), .init(.badClass, 5, 12)],
            entries: ["6402": [25], "6403": [25]],
            message: "first listed at hs-nice.yaml:2:3"
        ),
        BadNiceTableCase(
            name: "the same prefix three times, quoted alike or not",
            yaml: """
            hs:
              "61": [25]
              '61': [25]
              "62": [25]
              "61": [24]
            """,
            expected: [.init(.duplicateHSCode, 3, 3), .init(.duplicateHSCode, 5, 3)],
            entries: ["61": [25], "62": [25]]
        ),
        BadNiceTableCase(
            name: "the same prefix as a string and as a plain number",
            yaml: """
            hs:
              "64": [25]
              64: [18]
            """,
            expected: [.init(.duplicateHSCode, 3, 3)],
            entries: ["64": [25]]
        ),
        BadNiceTableCase(
            name: "every problem of one table at once",
            yaml: """
            version: 1
            hs:
              "61": [25]
              "61.1": [25]
              "62": [0]
              "63": []
              "61": [25]
              "64": 25
            """,
            expected: [
                .init(.badHSCode, 4, 3), .init(.badClass, 5, 10), .init(.missingField, 6, 9),
                .init(.duplicateHSCode, 7, 3), .init(.wrongType, 8, 9),
            ],
            entries: ["61": [25]]
        ),
    ]

    @Test("bad table reports each problem at its node", arguments: badCases)
    func badTable(_ testCase: BadNiceTableCase) throws {
        let result = NiceClassTableLoader.parse(yaml: testCase.yaml, file: "hs-nice.yaml")
        #expect(result.diagnostics.map(ExpectedDiagnostic.init) == testCase.expected,
                "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(result.diagnostics.allSatisfy { $0.location.file == "hs-nice.yaml" && !$0.message.isEmpty })
        #expect(result.table == NiceClassTable(prefixes: testCase.entries))
        if let message = testCase.message {
            let first = try #require(result.diagnostics.first)
            #expect(first.message.contains(message), "\(first.message)")
        }
    }

    // MARK: Good tables

    static let goodCases: [GoodNiceTableCase] = [
        GoodNiceTableCase(
            name: "the documented format",
            yaml: """
            # HS → Nice class table.
            version: 1
            hs:
              "61": [25]        # apparel, knitted
              "6402": [25]      # footwear
              "420221": [18]    # handbags, leather
            """,
            entries: ["61": [25], "6402": [25], "420221": [18]]
        ),
        GoodNiceTableCase(
            name: "version is optional; flow mapping",
            yaml: """
            hs: {"33": [3], "3306": [3, 21]}
            """,
            entries: ["33": [3], "3306": [3, 21]]
        ),
        GoodNiceTableCase(
            name: "block lists, repeated classes kept once, digit-string classes",
            yaml: """
            hs:
              "4203":
                - 25
                - 18
                - 25
              "90": ["09", 10]
            """,
            entries: ["4203": [25, 18], "90": [9, 10]]
        ),
        GoodNiceTableCase(
            name: "unquoted prefixes keep their digits; a leading zero draws a warning",
            yaml: """
            hs:
              61: [25]
              6402: [25]
              0101: [31]
              0809: [31]
              010121: [31]
            """,
            entries: ["61": [25], "6402": [25], "0101": [31], "0809": [31], "010121": [31]],
            warnings: [.init(.badHSCode, 4, 3, .warning), .init(.badHSCode, 5, 3, .warning), .init(.badHSCode, 6, 3, .warning)]
        ),
        GoodNiceTableCase(
            name: "empty hs mapping",
            yaml: """
            version: 1
            hs: {}
            """,
            entries: [:]
        ),
    ]

    @Test("good table parses into its entries", arguments: goodCases)
    func goodTable(_ testCase: GoodNiceTableCase) {
        let result = NiceClassTableLoader.parse(yaml: testCase.yaml, file: "hs-nice.yaml")
        #expect(result.diagnostics.map(ExpectedDiagnostic.init) == testCase.warnings,
                "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(result.table == NiceClassTable(prefixes: testCase.entries))
    }

    // MARK: Files

    @Test("load: a missing file, a folder and invalid UTF-8 are errors")
    func loadUnreadable() throws {
        let missing = try #require(throws: NiceClassTableLoadError.self) {
            try NiceClassTableLoader.load(path: "/nonexistent/hs-nice.yaml")
        }
        #expect(missing.diagnostics.map(ExpectedDiagnostic.init) == [.init(.unreadable, 1, 1)])

        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("markgate-nice-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let isFolder = try #require(throws: NiceClassTableLoadError.self) {
            try NiceClassTableLoader.load(path: folder)
        }
        #expect(isFolder.diagnostics.map(ExpectedDiagnostic.init) == [.init(.unreadable, 1, 1)])

        let file = folder + "/bad.yaml"
        let bytes = Array("hs:\n  \"61\": [25] # ".utf8) + [0xFF] + Array("\n".utf8)
        #expect(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
        let notUTF8 = try #require(throws: NiceClassTableLoadError.self) {
            try NiceClassTableLoader.load(path: file)
        }
        #expect(notUTF8.diagnostics.map(ExpectedDiagnostic.init) == [.init(.syntax, 2, 16)])
    }

    @Test("load: errors throw with every diagnostic; warnings alone do not")
    func loadErrorsAndWarnings() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("markgate-nice-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let bad = folder + "/bad.yaml"
        try "\u{FEFF}hs:\n  \"61\": [46]\n  \"6\": [25]\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let error = try #require(throws: NiceClassTableLoadError.self) { try NiceClassTableLoader.load(path: bad) }
        #expect(error.diagnostics.map(ExpectedDiagnostic.init) == [.init(.badClass, 2, 10), .init(.badHSCode, 3, 3)])
        #expect(error.description.hasPrefix("\(bad):2:10: error: "))
        #expect(error.description.split(separator: "\n").count == 2)

        let good = folder + "/good.yaml"
        try "hs:\n  0101: [31]\n".write(toFile: good, atomically: true, encoding: .utf8)
        let table = try NiceClassTableLoader.load(path: good)
        #expect(table.classes(forHS: "010121") == [31])
    }

    // MARK: The shipped table

    /// `Rules/hs-nice.yaml` of this repository.
    static let shippedPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // MarkgateIOTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Rules/hs-nice.yaml").path

    static func shippedTable() throws -> NiceClassTable {
        try NiceClassTableLoader.load(path: shippedPath)
    }

    @Test("the shipped table loads without any diagnostic and covers chapters 01–97 but 77")
    func shippedTableLoads() throws {
        let text = try String(contentsOfFile: Self.shippedPath, encoding: .utf8)
        let (table, diagnostics) = NiceClassTableLoader.parse(yaml: text, file: Self.shippedPath)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(try Self.shippedTable() == table)

        let chapters = (1...97).map { $0 < 10 ? "0\($0)" : "\($0)" }
        let missing = chapters.filter { $0 != "77" && table.prefixes[$0] == nil }
        #expect(missing.isEmpty, "chapters without a chapter-level entry: \(missing)")
        #expect(table.prefixes["77"] == nil)
        #expect(table.count > 500)
        // Only goods classes, and no prefix reaches below its own chapter's entry.
        for (prefix, classes) in table.prefixes {
            #expect(!classes.isEmpty && classes.allSatisfy { (1...34).contains($0) }, "\(prefix): \(classes)")
            #expect(Set(classes).count == classes.count, "\(prefix) repeats a class: \(classes)")
        }
    }

    static let shippedLookups: [ShippedNiceLookup] = [
        ShippedNiceLookup(code: "640411", classes: [25]),
        ShippedNiceLookup(code: "420221", classes: [18]),
        ShippedNiceLookup(code: "711311", classes: [14]),
        ShippedNiceLookup(code: "910221", classes: [14]),
        ShippedNiceLookup(code: "330410", classes: [3]),
        ShippedNiceLookup(code: "851830", classes: [9]),
        ShippedNiceLookup(code: "851762", classes: [9]),
        ShippedNiceLookup(code: "950300", classes: [28]),
        ShippedNiceLookup(code: "630260", classes: [24]),
        ShippedNiceLookup(code: "210690", classes: [5], exactly: false),
        ShippedNiceLookup(code: "200971", classes: [32]),
        ShippedNiceLookup(code: "080810", classes: [31]),
        ShippedNiceLookup(code: "220890", classes: [33]),
        ShippedNiceLookup(code: "090230", classes: [30]),
        ShippedNiceLookup(code: "961310", classes: [34]),
        ShippedNiceLookup(code: "900410", classes: [9]),
        ShippedNiceLookup(code: "6402991000", classes: [25]),
        // Where counterfeits concentrate.
        ShippedNiceLookup(code: "610910", classes: [25]),
        ShippedNiceLookup(code: "620342", classes: [25]),
        ShippedNiceLookup(code: "650500", classes: [25], exactly: false),
        ShippedNiceLookup(code: "420231", classes: [18]),
        ShippedNiceLookup(code: "420330", classes: [25, 18]),
        ShippedNiceLookup(code: "711719", classes: [14]),
        ShippedNiceLookup(code: "910111", classes: [14]),
        ShippedNiceLookup(code: "330300", classes: [3]),
        ShippedNiceLookup(code: "330620", classes: [21]),
        ShippedNiceLookup(code: "300490", classes: [5]),
        ShippedNiceLookup(code: "240220", classes: [34]),
        ShippedNiceLookup(code: "854340", classes: [34]),
        ShippedNiceLookup(code: "220300", classes: [32]),
        ShippedNiceLookup(code: "220421", classes: [33]),
        ShippedNiceLookup(code: "851631", classes: [11]),
        ShippedNiceLookup(code: "851640", classes: [8]),
        ShippedNiceLookup(code: "851010", classes: [8]),
        ShippedNiceLookup(code: "850811", classes: [7]),
        ShippedNiceLookup(code: "847130", classes: [9]),
        ShippedNiceLookup(code: "850440", classes: [9]),
        ShippedNiceLookup(code: "852351", classes: [9]),
        ShippedNiceLookup(code: "853950", classes: [11]),
        ShippedNiceLookup(code: "940542", classes: [11]),
        ShippedNiceLookup(code: "950450", classes: [28]),
        ShippedNiceLookup(code: "950662", classes: [28]),
        ShippedNiceLookup(code: "821191", classes: [8]),
        ShippedNiceLookup(code: "691110", classes: [21]),
        ShippedNiceLookup(code: "392410", classes: [21]),
        ShippedNiceLookup(code: "960321", classes: [21]),
        ShippedNiceLookup(code: "961590", classes: [26]),
        ShippedNiceLookup(code: "960810", classes: [16]),
        ShippedNiceLookup(code: "482010", classes: [16]),
        ShippedNiceLookup(code: "660191", classes: [18]),
        ShippedNiceLookup(code: "870899", classes: [12]),
        ShippedNiceLookup(code: "920290", classes: [15]),
        ShippedNiceLookup(code: "940360", classes: [20]),
        ShippedNiceLookup(code: "100630", classes: [30]),
        ShippedNiceLookup(code: "100610", classes: [31]),
        ShippedNiceLookup(code: "030617", classes: [29, 31]),
        ShippedNiceLookup(code: "04090000", classes: [30]),
    ]

    @Test("must-hold lookups on the shipped table", arguments: shippedLookups)
    func shippedLookup(_ lookup: ShippedNiceLookup) throws {
        let table = try Self.shippedTable()
        let classes = try #require(table.classes(forHS: lookup.code))
        if lookup.exactly {
            #expect(classes == lookup.classes)
        } else {
            #expect(Set(lookup.classes).isSubset(of: Set(classes)), "\(classes)")
        }
    }
}
