import Foundation
import MarkgateCore
import MarkgateIO
import Testing

// MARK: - Round trip: register → CSV (as an export would write it) → YAML → RegisterLoader

/// One CSV field as an export would write it: quoted when it must be (RFC 4180).
private func csvField(_ text: String) -> String {
    let needsQuotes = text.contains { ",\"\r\n".contains($0) } || text != text.trimmingCharacters(in: .whitespaces)
    return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}

/// The register as CSV, one row per mark, columns in `columns` order, lines ending with `lineEnd`.
private func exportCSV(_ register: Register, columns: [String], lineEnd: String = "\n") -> String {
    func cell(_ mark: Mark, _ column: String) -> String {
        switch column {
        case "id": mark.id
        case "names": mark.names.joined(separator: "|")
        case "variants": mark.variants.joined(separator: "|")
        case "kind": mark.kind.rawValue
        case "classes": mark.classes.map(String.init).joined(separator: "|")
        case "owner": mark.owner ?? ""
        case "recordation": mark.recordation ?? ""
        case "licensees": mark.licensees.joined(separator: "|")
        case "generic_names": mark.genericNames.joined(separator: "|")
        case "context": mark.context.joined(separator: "|")
        case "min_unit_price": mark.minUnitPrice.map { "\($0.currency):\($0.amount)" }.joined(separator: "|")
        default: ""
        }
    }
    let rows = [columns.map(csvField)] + register.marks.map { mark in columns.map { csvField(cell(mark, $0)) } }
    return rows.map { $0.joined(separator: ",") }.joined(separator: lineEnd) + lineEnd
}

/// Marks with every field, and strings YAML would misread if written plainly.
private let roundTripRegister = Register(marks: [
    Mark(id: "NIKE", names: ["NIKE", "耐克"], variants: ["Naike Air"], kind: .wellKnown, classes: [25, 28],
         owner: "Nike Innovate C.V.", recordation: "T2009-00001", licensees: ["Nike Commercial (China) Co., Ltd."],
         context: ["running", "sneaker"],
         minUnitPrice: [PriceFloor(currency: "USD", amount: 40), PriceFloor(currency: "CNY", amount: 199.5)]),
    Mark(id: "APPLE", names: ["APPLE", "苹果"], classes: [9], genericNames: ["APPLE", "苹果"],
         context: ["iphone", "apple watch", "苹果手机"]),
    Mark(id: "3M", names: ["3M", "NO", "null", "~", "true", "1e3", "0x1F", "007", ".inf"], kind: .trademark),
    Mark(id: "odd.strings_1", names: [
        "Apple \"Inc\", #1: yes", "- dash", "{braces}", "[brackets]", "&anchor", "*alias", "!tag", "%percent",
        "@at", "`tick", "'single'", "back\\slash", "tab\there", "line\u{2028}sep", "para\u{2029}sep",
        "zero\u{200B}width", "bom\u{FEFF}inside", "nel\u{85}here", "bell\u{7}", "Ünïcödé 香奈兒", "a: b", "a #b",
        "multi\nline",
    ], kind: .geographicIndication, owner: "O'Brien & Sons: \"best\"", recordation: "# not a comment"),
    Mark(id: "TONGRENTANG", names: ["同仁堂", "TONG REN TANG"], kind: .timeHonored, classes: [3, 5]),
])

struct RoundTripCase: Sendable, CustomTestStringConvertible {
    var name: String
    var columns: [String]
    var lineEnd: String
    var bom: Bool

    var testDescription: String { name }
}

private let roundTripCases: [RoundTripCase] = [
    RoundTripCase(name: "contract order, LF", columns: RegisterImporter.columns, lineEnd: "\n", bom: false),
    RoundTripCase(name: "reversed columns, CRLF, BOM", columns: RegisterImporter.columns.reversed(),
                  lineEnd: "\r\n", bom: true),
]

@Test("CSV → YAML → RegisterLoader gives back the register", arguments: roundTripCases)
func importRoundTrip(_ testCase: RoundTripCase) throws {
    var csv = exportCSV(roundTripRegister, columns: testCase.columns, lineEnd: testCase.lineEnd)
    if testCase.bom { csv = "\u{FEFF}" + csv }
    let imported = try RegisterImporter.importCSV(bytes: Array(csv.utf8), file: "register.csv")
    #expect(imported.register == roundTripRegister)
    let reread = RegisterLoader.parse(yaml: imported.yaml, file: "out.yaml")
    #expect(reread.diagnostics.isEmpty, "\(reread.diagnostics)")
    #expect(reread.marks == roundTripRegister.marks)
    #expect(reread.version == 1)
}

@Test func importWritesTheContractsShape() throws {
    let csv = """
        ID, Names ,kind,classes,min_unit_price

        NIKE,NIKE | 耐克,trademark,25|28,USD:40|CNY:250
        ADIDAS,ADIDAS,,,
        """
    let imported = try RegisterImporter.importCSV(bytes: Array(csv.utf8), file: "r.csv")
    #expect(imported.yaml == """
        # Imported from r.csv by markgate register import (contract §1).
        version: 1
        marks:
          - id: "NIKE"
            names: ["NIKE", "耐克"]
            kind: "trademark"
            classes: [25, 28]
            min_unit_price: {"USD": 40, "CNY": 250}
          - id: "ADIDAS"
            names: ["ADIDAS"]

        """)
    #expect(imported.register.marks.map(\.id) == ["NIKE", "ADIDAS"])
}

@Test func importOfAHeaderAloneIsAnEmptyRegister() throws {
    let imported = try RegisterImporter.importCSV(bytes: Array("id,names\n".utf8), file: "r.csv")
    #expect(imported.register.marks.isEmpty)
    #expect(imported.yaml.hasSuffix("version: 1\nmarks: []\n"))
}

@Test(arguments: [
    ("plain", "\"plain\""), ("a\"b", "\"a\\\"b\""), ("a\\b", "\"a\\\\b\""), ("a\nb", "\"a\\nb\""),
    ("\u{2028}", "\"\\u2028\""), ("\u{7}", "\"\\u0007\""), ("\u{85}", "\"\\u0085\""), ("香奈兒", "\"香奈兒\""),
])
func yamlQuoting(_ text: String, _ quoted: String) {
    #expect(RegisterImporter.quoted(text) == quoted)
}

// MARK: - Bad rows: every error, at its CSV field

struct BadImportCase: Sendable, CustomTestStringConvertible {
    var name: String
    var csv: String
    var expected: [ExpectedDiagnostic]
    /// Texts the first error's message must hold.
    var message: [String] = []

    var testDescription: String { name }
}

private func e(_ kind: Diagnostic.Kind, _ line: Int, _ column: Int) -> ExpectedDiagnostic {
    ExpectedDiagnostic(kind, line, column)
}

private let badImportCases: [BadImportCase] = [
    BadImportCase(name: "unknown kind", csv: "id,names,kind\nNIKE,NIKE,brand\n",
                  expected: [e(.unknownKind, 2, 11)], message: ["\"brand\"", "trademark"]),
    BadImportCase(name: "class outside 1–45", csv: "id,names,classes\nNIKE,NIKE,25|46\n",
                  expected: [e(.badClass, 2, 11)], message: ["46"]),
    BadImportCase(name: "class that is not a number", csv: "id,names,classes\nNIKE,NIKE,25|shoes\n",
                  expected: [e(.wrongType, 2, 11)], message: ["\"shoes\""]),
    BadImportCase(name: "missing id", csv: "id,names\n,NIKE\n",
                  expected: [e(.badId, 2, 1)], message: ["empty id"]),
    BadImportCase(name: "id with a space", csv: "id,names\nNIKE INC,NIKE\n",
                  expected: [e(.badId, 2, 1)], message: ["NIKE INC"]),
    BadImportCase(name: "duplicate id, with the first row's place", csv: "id,names\nNIKE,NIKE\nPUMA,PUMA\nNIKE,耐克\n",
                  expected: [e(.duplicateId, 4, 1)], message: ["\"NIKE\"", "first defined at register.csv:2:1"]),
    BadImportCase(name: "price that is not a number", csv: "id,names,min_unit_price\nNIKE,NIKE,USD:abc\n",
                  expected: [e(.badPrice, 2, 11)], message: ["\"abc\""]),
    BadImportCase(name: "price without a currency", csv: "id,names,min_unit_price\nNIKE,NIKE,USD40\n",
                  expected: [e(.badPrice, 2, 11)], message: ["CODE:AMOUNT"]),
    BadImportCase(name: "currency in lower case", csv: "id,names,min_unit_price\nNIKE,NIKE,usd:40\n",
                  expected: [e(.badPrice, 2, 11)], message: ["\"usd\""]),
    BadImportCase(name: "zero price", csv: "id,names,min_unit_price\nNIKE,NIKE,USD:0\n",
                  expected: [e(.badPrice, 2, 11)], message: ["positive"]),
    BadImportCase(name: "two floors in one currency", csv: "id,names,min_unit_price\nNIKE,NIKE,USD:40|USD:50\n",
                  expected: [e(.badPrice, 2, 11)], message: ["\"USD\""]),
    BadImportCase(name: "too few fields: at the end of the row", csv: "id,names,kind\nNIKE,NIKE\n",
                  expected: [e(.fieldCount, 2, 10)], message: ["2 fields", "header has 3"]),
    BadImportCase(name: "too many fields: at the first extra one", csv: "id,names\nNIKE,NIKE,25\n",
                  expected: [e(.fieldCount, 2, 11)], message: ["3 fields"]),
    BadImportCase(name: "empty names", csv: "id,names\nNIKE,\n",
                  expected: [e(.emptyNames, 2, 6)]),
    BadImportCase(name: "empty item in names", csv: "id,names\nNIKE,NIKE||耐克\n",
                  expected: [e(.emptyNames, 2, 6)]),
    BadImportCase(name: "generic name that is not a name", csv: "id,names,generic_names\nAPPLE,APPLE,苹果\n",
                  expected: [e(.badGenericName, 2, 13)], message: ["苹果"]),
    BadImportCase(name: "unknown column, with a suggestion", csv: "id,names,generic_name\nAPPLE,APPLE,APPLE\n",
                  expected: [e(.unknownKey, 1, 10)], message: ["\"generic_name\"", "generic_names"]),
    BadImportCase(name: "column given twice", csv: "id,names,NAMES\nAPPLE,APPLE,X\n",
                  expected: [e(.duplicateColumn, 1, 10)], message: ["\"names\""]),
    BadImportCase(name: "no names column", csv: "id,kind\nAPPLE,trademark\n",
                  expected: [e(.missingField, 1, 1)], message: ["names"]),
    BadImportCase(name: "empty file", csv: "", expected: [e(.missingField, 1, 1)], message: ["header"]),
    BadImportCase(name: "unterminated quote", csv: "id,names\nNIKE,\"NIKE\nPUMA,PUMA\n",
                  expected: [e(.syntax, 2, 6)], message: ["unterminated"]),
    BadImportCase(
        name: "every error of every row, in file order, lines counted through a quoted line break",
        csv: "id,names,kind,classes\nNIKE,\"NIKE\n耐克\",trademark,25\nPUMA,PUMA,brand,46\n,X,,\nNIKE,Y,,0\n",
        expected: [e(.unknownKind, 4, 11), e(.badClass, 4, 17), e(.badId, 5, 1), e(.duplicateId, 6, 1),
                   e(.badClass, 6, 9)]),
]

@Test("bad rows are errors at their CSV fields", arguments: badImportCases)
func badImport(_ testCase: BadImportCase) throws {
    let error = try #require(throws: RegisterLoadError.self) {
        try RegisterImporter.importCSV(bytes: Array(testCase.csv.utf8), file: "register.csv")
    }
    #expect(error.diagnostics.map(ExpectedDiagnostic.init) == testCase.expected,
            "\(error.diagnostics.map(\.description).joined(separator: "\n"))")
    #expect(error.diagnostics.allSatisfy { $0.location.file == "register.csv" })
    if let first = error.diagnostics.first {
        for text in testCase.message { #expect(first.message.contains(text), "\(first.message)") }
    }
}

@Test func importOfAMissingFileIsUnreadable() throws {
    let path = "/nonexistent/\(UUID().uuidString).csv"
    let error = try #require(throws: RegisterLoadError.self) { try RegisterImporter.importCSV(path: path) }
    #expect(error.diagnostics.map(\.kind) == [.unreadable])
}
