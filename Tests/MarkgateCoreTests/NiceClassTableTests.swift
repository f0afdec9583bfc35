import Testing
import MarkgateCore

/// A lookup in a small made-up table: the code as declared and the classes expected (nil: no entry).
struct NiceLookupCase: CustomTestStringConvertible, Sendable {
    let name: String
    let code: String
    let classes: [Int]?
    var testDescription: String { name }
}

@Suite("NiceClassTable")
struct NiceClassTableTests {
    /// Chapter 64 (footwear), heading 4202 (bags) with one subheading, and chapter 42 under it.
    static let table = NiceClassTable(prefixes: [
        "64": [25],
        "42": [18, 25],
        "4202": [18],
        "420292": [18, 9],
        "01": [31],
        "0101": [31, 5],
        "9613": [34],
    ])

    static let lookups: [NiceLookupCase] = [
        NiceLookupCase(name: "chapter only", code: "640411", classes: [25]),
        NiceLookupCase(name: "heading beats chapter", code: "420221", classes: [18]),
        NiceLookupCase(name: "subheading beats heading", code: "420292", classes: [18, 9]),
        NiceLookupCase(name: "chapter when heading absent", code: "420310", classes: [18, 25]),
        NiceLookupCase(name: "8-digit national code", code: "42029200", classes: [18, 9]),
        NiceLookupCase(name: "10-digit national code", code: "6402991000", classes: [25]),
        NiceLookupCase(name: "10-digit code under a heading", code: "4202210090", classes: [18]),
        NiceLookupCase(name: "leading zero kept", code: "010121", classes: [31, 5]),
        NiceLookupCase(name: "leading zero, other heading", code: "010511", classes: [31]),
        NiceLookupCase(name: "2-digit code", code: "64", classes: [25]),
        NiceLookupCase(name: "4-digit code", code: "4202", classes: [18]),
        NiceLookupCase(name: "3-digit code takes the chapter", code: "420", classes: [18, 25]),
        NiceLookupCase(name: "5-digit code takes the heading", code: "42029", classes: [18]),
        NiceLookupCase(name: "unknown chapter", code: "851762", classes: nil),
        NiceLookupCase(name: "reserved chapter 77", code: "770000", classes: nil),
        NiceLookupCase(name: "heading without its chapter", code: "961310", classes: [34]),
        NiceLookupCase(name: "other heading of a chapter without entry", code: "961400", classes: nil),
        NiceLookupCase(name: "dotted code", code: "6404.11", classes: nil),
        NiceLookupCase(name: "dotted heading", code: "4202.21.00", classes: nil),
        NiceLookupCase(name: "spaced code", code: "6404 11", classes: nil),
        NiceLookupCase(name: "leading space", code: " 640411", classes: nil),
        NiceLookupCase(name: "trailing newline", code: "640411\n", classes: nil),
        NiceLookupCase(name: "hyphenated", code: "6404-11", classes: nil),
        NiceLookupCase(name: "letters", code: "64A411", classes: nil),
        NiceLookupCase(name: "full-width digits", code: "６４０４１１", classes: nil),
        NiceLookupCase(name: "Arabic-Indic digits", code: "٦٤٠٤١١", classes: nil),
        NiceLookupCase(name: "sign", code: "+640411", classes: nil),
        NiceLookupCase(name: "empty", code: "", classes: nil),
        NiceLookupCase(name: "one digit", code: "6", classes: nil),
    ]

    @Test("longest prefix present wins; anything but ASCII digits is no code", arguments: lookups)
    func lookup(_ testCase: NiceLookupCase) {
        #expect(Self.table.classes(forHS: testCase.code) == testCase.classes)
    }

    @Test("count is the number of prefixes")
    func count() {
        #expect(Self.table.count == 7)
        #expect(NiceClassTable(prefixes: [:]).count == 0)
        #expect(NiceClassTable(prefixes: [:]).classes(forHS: "640411") == nil)
    }

    @Test("classes are returned as given")
    func classesAsGiven() {
        let table = NiceClassTable(prefixes: ["33": [3], "3306": [21, 3]])
        #expect(table.classes(forHS: "330620") == [21, 3])
        #expect(table.classes(forHS: "330300") == [3])
    }

    @Test("keys of other lengths still match by longest prefix")
    func otherKeyLengths() {
        let table = NiceClassTable(prefixes: ["85": [9], "85176200": [9, 14], "8": [7]])
        #expect(table.classes(forHS: "8517620010") == [9, 14])
        #expect(table.classes(forHS: "851762") == [9])
        #expect(table.classes(forHS: "840000") == [7])
    }

    @Test("a key's leading zeros count; keys that are not 1 to 18 digits never match")
    func keysAreDigitStrings() {
        let table = NiceClassTable(prefixes: [
            "7": [1], "07": [2], "007": [3], "6A": [4], "": [5], "1234567890123456789": [6], "123456789012345678": [7],
        ])
        #expect(table.classes(forHS: "700000") == [1])
        #expect(table.classes(forHS: "070000") == [2])
        #expect(table.classes(forHS: "007000") == [3])
        #expect(table.classes(forHS: "000700") == nil)
        #expect(table.classes(forHS: "600000") == nil)
        #expect(table.classes(forHS: "12345678901234567890") == [7])
    }

    @Test("equal tables are equal and hash alike")
    func hashable() {
        let a = NiceClassTable(prefixes: ["64": [25], "4202": [18]])
        let b = NiceClassTable(prefixes: ["4202": [18], "64": [25]])
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != NiceClassTable(prefixes: ["64": [25]]))
    }
}
