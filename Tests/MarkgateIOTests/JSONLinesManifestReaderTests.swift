import Foundation
import MarkgateCore
import MarkgateIO
import Testing

// MARK: - Helpers

private func read(_ input: String, file: String = "test.jsonl") -> [ManifestRecord] {
    Array(JSONLinesManifestReader(bytes: testBytes(input), file: file))
}

/// The same input through a chunk function, `size` bytes at a time (1: every chunk boundary is crossed).
private func readChunked(_ bytes: [UInt8], size: Int, file: String = "test.jsonl") -> [ManifestRecord] {
    var position = 0
    let reader = JSONLinesManifestReader(file: file) {
        guard position < bytes.count else { return nil }
        defer { position += size }
        return Array(bytes[position..<min(position + size, bytes.count)])
    }
    return Array(reader)
}

private func item(_ line: Int, _ description: String, hs: String? = nil, qty: Double? = nil, price: Double? = nil,
                  currency: String? = nil, origin: String? = nil) -> ParcelItem {
    ParcelItem(line: line, description: description, hsCode: hs, quantity: qty, unitPrice: price,
               currency: currency, origin: origin)
}

/// A well-formed one-item parcel line.
private func goodLine(_ id: String) -> String {
    #"{"parcel_id": "\#(id)", "items": [{"description": "cap", "hs_code": "650500"}]}"#
}

// MARK: - Well-formed lines

struct JSONLinesGoodCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// Each parcel with the line and column of its `{`.
    var expected: [(parcel: Parcel, line: Int, column: Int)]

    var testDescription: String { name }
}

private let goodCases: [JSONLinesGoodCase] = [
    JSONLinesGoodCase(
        name: "all fields, several items, several parcels",
        input: #"""
        {"parcel_id": "P1", "consignor": "Ningbo Jiali", "consignee": "buyer-1", "items": [{"line_no": 1, "description": "running shoes", "hs_code": "640411", "quantity": 2, "unit_price": 12.5, "currency": "USD", "origin": "CN"}, {"line_no": 2, "description": "baby bottle", "hs_code": "392490", "quantity": 10, "unit_price": 2.76, "currency": "usd", "origin": "cn"}]}
        {"parcel_id": "P2", "consignor": "Putian Yuxin", "items": [{"description": "运动鞋", "hs_code": "6404110000", "quantity": 1, "unit_price": 30, "currency": "CNY", "origin": "VN"}]}

        """#,
        expected: [
            (Parcel(id: "P1", consignor: "Ningbo Jiali", consignee: "buyer-1", items: [
                item(1, "running shoes", hs: "640411", qty: 2, price: 12.5, currency: "USD", origin: "CN"),
                item(2, "baby bottle", hs: "392490", qty: 10, price: 2.76, currency: "USD", origin: "CN"),
            ]), 1, 1),
            (Parcel(id: "P2", consignor: "Putian Yuxin", items: [
                item(1, "运动鞋", hs: "6404110000", qty: 1, price: 30, currency: "CNY", origin: "VN"),
            ]), 2, 1),
        ]
    ),
    JSONLinesGoodCase(
        name: "every escape",
        input: #"{"parcel_id": "P1", "items": [{"description": "Shoes \"NIKE\" \\ \/ \b\f\n\r\t end"}]}"#,
        expected: [(Parcel(id: "P1", items: [item(1, "Shoes \"NIKE\" \\ / \u{8}\u{C}\n\r\t end")]), 1, 1)]
    ),
    JSONLinesGoodCase(
        name: "unicode: raw UTF-8, \\u escapes in either case, surrogate pairs, NUL",
        input: #"{"parcel_id": "P1", "items": [{"description": "运动鞋 \u8010\u514b \ud83d\uDC5F 👟 \u00E9\u0000"}]}"#,
        expected: [(Parcel(id: "P1", items: [item(1, "运动鞋 耐克 👟 👟 é\u{0}")]), 1, 1)]
    ),
    JSONLinesGoodCase(
        name: "numbers given as strings, codes and ids given as numbers",
        input: #"{"parcel_id": 1234567, "items": [{"description": "bag", "hs_code": 420221, "quantity": "2", "unit_price": " 12.5 ", "line_no": "3"}, {"description": "belt", "line_no": 4, "unit_price": "1e1"}]}"#,
        expected: [(Parcel(id: "1234567", items: [item(3, "bag", hs: "420221", qty: 2, price: 12.5),
                                                  item(4, "belt", price: 10)]), 1, 1)]
    ),
    JSONLinesGoodCase(
        name: "every JSON number form",
        input: #"{"parcel_id": "P1", "items": [{"description": "a", "quantity": 0, "unit_price": 1e2}, {"description": "b", "quantity": 2.5E-1, "unit_price": 0.25}, {"description": "c", "quantity": -0, "unit_price": 1E+1}]}"#,
        expected: [(Parcel(id: "P1", items: [item(1, "a", qty: 0, price: 100), item(2, "b", qty: 0.25, price: 0.25),
                                             item(3, "c", qty: 0, price: 10)]), 1, 1)]
    ),
    JSONLinesGoodCase(
        name: "byte-order mark, CRLF, blank lines skipped, no final line break",
        input: "<EF><BB><BF>" + goodLine("P1") + "\r\n\r\n  \t\n\n" + goodLine("P2"),
        expected: [
            (Parcel(id: "P1", items: [item(1, "cap", hs: "650500")]), 1, 1),
            (Parcel(id: "P2", items: [item(1, "cap", hs: "650500")]), 5, 1),
        ]
    ),
    JSONLinesGoodCase(
        name: "unknown keys ignored however nested",
        input: #"{"parcel_id": "P1", "meta": {"tags": [1, -2.5e3, "x", {"y": null}], "ok": true, "no": false}, "items": [{"description": "a", "extra": [], "empty": {}}], "more": [[]]}"#,
        expected: [(Parcel(id: "P1", items: [item(1, "a")]), 1, 1)]
    ),
    JSONLinesGoodCase(
        name: "null and empty values absent, values trimmed, currency and origin upper-cased, description as declared",
        input: #"{"parcel_id": " P1 ", "consignor": null, "consignee": "  ", "items": [{"description": "  shoes ", "hs_code": null, "quantity": "", "unit_price": null, "currency": " usd ", "origin": "", "line_no": null}]}"#,
        expected: [(Parcel(id: "P1", items: [item(1, "  shoes ", currency: "USD")]), 1, 1)]
    ),
    JSONLinesGoodCase(
        name: "white space around every token; the source column is the object's brace",
        input: "  { \"parcel_id\" : \"P1\" ,\t\"items\" : [ { \"description\" : \"a\" } , {\"description\":\"b\"} ] }  \n",
        expected: [(Parcel(id: "P1", items: [item(1, "a"), item(2, "b")]), 1, 3)]
    ),
    JSONLinesGoodCase(
        name: "line_no defaults to the item's position",
        input: #"{"parcel_id": "P1", "items": [{"description": "a"}, {"description": "b", "line_no": 7}, {"description": "c"}]}"#,
        expected: [(Parcel(id: "P1", items: [item(1, "a"), item(7, "b"), item(3, "c")]), 1, 1)]
    ),
    JSONLinesGoodCase(
        name: "escaped key names are the same keys",
        input: #"{"parcel\u005Fid": "P1", "\u0069tems": [{"description": "a"}]}"#,
        expected: [(Parcel(id: "P1", items: [item(1, "a")]), 1, 1)]
    ),
    JSONLinesGoodCase(name: "empty input: no records", input: "", expected: []),
    JSONLinesGoodCase(name: "only blank lines: no records", input: "\n \r\n\t\n", expected: []),
]

// MARK: - Broken lines

/// One broken line, read as line 2 between two good lines, which must both come through.
struct JSONLinesBadCase: Sendable, CustomTestStringConvertible {
    var name: String
    var line: String
    /// `recordSummary(_:)` of the line's record.
    var expected: String

    var testDescription: String { name }
}

private let badCases: [JSONLinesBadCase] = [
    // Syntax: where, and what was expected.
    JSONLinesBadCase(name: "missing comma between members",
                     line: #"{"parcel_id": "P2" "items": []}"#,
                     expected: "P2! line 2, column 20: expected ',' or '}'"),
    JSONLinesBadCase(name: "line cut short",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag""#,
                     expected: "P2! line 2, column 52: expected ',' or '}'"),
    JSONLinesBadCase(name: "unterminated string, reported at its quote",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag}]}"#,
                     expected: "P2! line 2, column 47: unterminated string: expected a closing '\"'"),
    JSONLinesBadCase(name: "trailing comma in an object",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag"}],}"#,
                     expected: "P2! line 2, column 55: expected a key in double quotes"),
    JSONLinesBadCase(name: "trailing comma in an array",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag"},]}"#,
                     expected: "P2! line 2, column 54: expected a JSON value"),
    JSONLinesBadCase(name: "single quotes",
                     line: #"{'parcel_id': 'P2'}"#,
                     expected: "-! line 2, column 2: expected a key in double quotes or '}'"),
    JSONLinesBadCase(name: "an array instead of an object",
                     line: #"[{"parcel_id": "P2"}]"#,
                     expected: "-! line 2, column 1: expected '{' starting a parcel object"),
    JSONLinesBadCase(name: "text after the object",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag"}]} x"#,
                     expected: "P2! line 2, column 56: expected the end of the line after the parcel object"),
    JSONLinesBadCase(name: "two objects on one line",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag"}]}{"parcel_id": "P3"}"#,
                     expected: "P2! line 2, column 55: expected the end of the line after the parcel object"),
    JSONLinesBadCase(name: "unknown escape",
                     line: #"{"parcel_id": "P2", "items": [{"description": "b\x"}]}"#,
                     expected: #"P2! line 2, column 49: bad escape \x: expected one of \" \\ \/ \b \f \n \r \t \uXXXX"#),
    JSONLinesBadCase(name: "lone high surrogate",
                     line: #"{"parcel_id": "P2", "items": [{"description": "\uD83D!"}]}"#,
                     expected: #"P2! line 2, column 48: lone surrogate \uD83D: expected a low surrogate \uDC00–\uDFFF after it"#),
    JSONLinesBadCase(name: "high surrogate followed by another high one",
                     line: #"{"parcel_id": "P2", "items": [{"description": "\uD83D\uD83D"}]}"#,
                     expected: #"P2! line 2, column 48: lone surrogate \uD83D: expected a low surrogate \uDC00–\uDFFF after it"#),
    JSONLinesBadCase(name: "lone low surrogate",
                     line: #"{"parcel_id": "P2", "items": [{"description": "\uDC5F"}]}"#,
                     expected: #"P2! line 2, column 48: lone surrogate \uDC5F: expected a high surrogate \uD800–\uDBFF before it"#),
    JSONLinesBadCase(name: "\\u escape without 4 hex digits",
                     line: #"{"parcel_id": "P2", "items": [{"description": "\u12G4"}]}"#,
                     expected: #"P2! line 2, column 48: bad \u escape: expected 4 hex digits"#),
    JSONLinesBadCase(name: "raw tab inside a string",
                     line: #"{"parcel_id": "P2", "items": [{"description": "a\#tb"}]}"#,
                     expected: #"P2! line 2, column 49: control character U+0009 in a string: expected it escaped (\u0009)"#),
    JSONLinesBadCase(name: "number with a plus sign",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "quantity": +1}]}"#,
                     expected: "P2! line 2, column 66: expected a JSON value"),
    JSONLinesBadCase(name: "number ending in a dot",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "quantity": 1.}]}"#,
                     expected: "P2! line 2, column 68: bad number: expected a digit after '.'"),
    JSONLinesBadCase(name: "number with a leading zero",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "quantity": 01}]}"#,
                     expected: "P2! line 2, column 67: expected ',' or '}'"),
    JSONLinesBadCase(name: "misspelt literal",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "quantity": nul}]}"#,
                     expected: "P2! line 2, column 66: expected a JSON value"),
    JSONLinesBadCase(name: "a parcel_id after the problem is not claimed",
                     line: #"{"items": [{"description": "bag" "x"}], "parcel_id": "P2"}"#,
                     expected: "-! line 2, column 34: expected ',' or '}'"),
    JSONLinesBadCase(name: "nesting deeper than 512 levels",
                     line: #"{"parcel_id": "P2", "meta": "# + String(repeating: "[", count: 600)
                         + String(repeating: "]", count: 600) + "}",
                     expected: "P2! line 2, column 540: nesting too deep: expected at most 512 levels"),

    // Invalid UTF-8: columns count scalars.
    JSONLinesBadCase(name: "invalid UTF-8 byte in a string",
                     line: #"{"parcel_id": "P2", "items": [{"description": "运动鞋<FF>"}]}"#,
                     expected: "P2! line 2, column 51: invalid UTF-8 byte 0xFF"),
    JSONLinesBadCase(name: "truncated UTF-8 sequence in a string",
                     line: #"{"parcel_id": "P2", "items": [{"description": "鞋<E9><9E>x"}]}"#,
                     expected: "P2! line 2, column 49: invalid UTF-8: incomplete multi-byte sequence"),
    JSONLinesBadCase(name: "encoded surrogate in a string",
                     line: #"{"parcel_id": "P2", "items": [{"description": "<ED><A0><80>"}]}"#,
                     expected: "P2! line 2, column 48: invalid UTF-8: incomplete multi-byte sequence"),
    JSONLinesBadCase(name: "invalid UTF-8 outside strings",
                     line: #"{"parcel_id": "P2",<FF> "items": []}"#,
                     expected: "P2! line 2, column 20: expected a key in double quotes"),

    // Values.
    JSONLinesBadCase(name: "missing parcel_id",
                     line: #"{"items": [{"description": "bag"}]}"#,
                     expected: "-! line 2, column 1: missing parcel_id"),
    JSONLinesBadCase(name: "blank parcel_id",
                     line: #"{"parcel_id": "  ", "items": [{"description": "bag"}]}"#,
                     expected: "-! line 2, column 15: empty parcel_id"),
    JSONLinesBadCase(name: "parcel_id not a string",
                     line: #"{"parcel_id": true, "items": [{"description": "bag"}]}"#,
                     expected: "-! line 2, column 15: bad parcel_id true: expected a string"),
    JSONLinesBadCase(name: "missing items",
                     line: #"{"parcel_id": "P2"}"#,
                     expected: "P2! line 2, column 1: missing items: expected at least one item"),
    JSONLinesBadCase(name: "empty items",
                     line: #"{"parcel_id": "P2", "items": []}"#,
                     expected: "P2! line 2, column 30: empty items: expected at least one item"),
    JSONLinesBadCase(name: "items not an array",
                     line: #"{"parcel_id": "P2", "items": {"description": "bag"}}"#,
                     expected: "P2! line 2, column 30: bad items: expected an array of item objects"),
    JSONLinesBadCase(name: "an item that is not an object",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag"}, "cap"]}"#,
                     expected: "P2! line 2, column 55: bad item 2 \"cap\": expected an object"),
    JSONLinesBadCase(name: "an item without a description",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag"}, {"hs_code": "420221"}]}"#,
                     expected: "P2! line 2, column 55: missing description in item 2"),
    JSONLinesBadCase(name: "blank description",
                     line: #"{"parcel_id": "P2", "items": [{"description": " \t "}]}"#,
                     expected: "P2! line 2, column 47: empty description"),
    JSONLinesBadCase(name: "description not a string",
                     line: #"{"parcel_id": "P2", "items": [{"description": 42}]}"#,
                     expected: "P2! line 2, column 47: bad description 42: expected a string"),
    JSONLinesBadCase(name: "HS code too short",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "hs_code": "4202"}]}"#,
                     expected: "P2! line 2, column 65: bad hs_code \"4202\": expected 6 to 10 digits"),
    JSONLinesBadCase(name: "HS code as a decimal number",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "hs_code": 6404.11}]}"#,
                     expected: "P2! line 2, column 65: bad hs_code 6404.11: expected 6 to 10 digits"),
    JSONLinesBadCase(name: "HS code too long",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "hs_code": "64041100001"}]}"#,
                     expected: "P2! line 2, column 65: bad hs_code \"64041100001\": expected 6 to 10 digits"),
    JSONLinesBadCase(name: "negative quantity",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "quantity": -3}]}"#,
                     expected: "P2! line 2, column 66: bad quantity -3: expected a number ≥ 0"),
    JSONLinesBadCase(name: "quantity in words",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "quantity": "two"}]}"#,
                     expected: "P2! line 2, column 66: bad quantity \"two\": expected a number ≥ 0"),
    JSONLinesBadCase(name: "quantity a boolean",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "quantity": true}]}"#,
                     expected: "P2! line 2, column 66: bad quantity true: expected a number ≥ 0"),
    JSONLinesBadCase(name: "unit price beyond a Double",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "unit_price": 1e400}]}"#,
                     expected: "P2! line 2, column 68: bad unit_price 1e400: expected a number ≥ 0"),
    JSONLinesBadCase(name: "unit price NaN as a string",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "unit_price": "nan"}]}"#,
                     expected: "P2! line 2, column 68: bad unit_price \"nan\": expected a number ≥ 0"),
    JSONLinesBadCase(name: "line_no 0",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "line_no": 0}]}"#,
                     expected: "P2! line 2, column 65: bad line_no 0: expected a whole number from 1"),
    JSONLinesBadCase(name: "a key given twice",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "description": "NIKE shoes"}]}"#,
                     expected: "P2! line 2, column 54: key \"description\" given twice"),
    JSONLinesBadCase(name: "the first bad value from left to right",
                     line: #"{"parcel_id": "P2", "items": [{"description": "bag", "hs_code": "42", "quantity": -1}]}"#,
                     expected: "P2! line 2, column 65: bad hs_code \"42\": expected 6 to 10 digits"),
    JSONLinesBadCase(name: "a bad value keeps a parcel_id given after it",
                     line: #"{"items": [{"description": "bag", "hs_code": "42"}], "parcel_id": "P2"}"#,
                     expected: "P2! line 2, column 46: bad hs_code \"42\": expected 6 to 10 digits"),
]

// MARK: - Tests

@Suite("JSON Lines manifest reader")
struct JSONLinesManifestReaderTests {
    @Test("well-formed lines", arguments: goodCases)
    func wellFormed(_ testCase: JSONLinesGoodCase) {
        let records = read(testCase.input)
        let expected: [ManifestRecord] = testCase.expected.map {
            .parcel($0.parcel, source: SourceLocation(file: "test.jsonl", line: $0.line, column: $0.column))
        }
        #expect(records == expected)
        #expect(readChunked(testBytes(testCase.input), size: 1) == records)
    }

    @Test("broken lines: an error record each, the lines around still come through", arguments: badCases)
    func broken(_ testCase: JSONLinesBadCase) {
        let input = goodLine("P1") + "\n" + testCase.line + "\n" + goodLine("P3") + "\n"
        let records = read(input)
        #expect(records.map(recordSummary) == ["P1 items=1 @1", testCase.expected, "P3 items=1 @3"])
        #expect(readChunked(testBytes(input), size: 1) == records)
        // Without the line break after it, the line ends the input: the same record.
        #expect(read(goodLine("P1") + "\n" + testCase.line).map(recordSummary) == ["P1 items=1 @1", testCase.expected])
    }

    @Test("many broken lines in a row: each is its own error record")
    func manyBroken() {
        let input = [goodLine("P1"), #"{"parcel_id": "P2""#, "", #"{"parcel_id": "P3", "items": 5}"#, "nonsense",
                     goodLine("P4"), "{", #"{"parcel_id": "P5", "items": [{"description": "a", "hs_code": "1"}]}"#,
                     goodLine("P6")].joined(separator: "\n")
        #expect(read(input).map(recordSummary) == [
            "P1 items=1 @1",
            "P2! line 2, column 19: expected ',' or '}'",
            "P3! line 4, column 30: bad items 5: expected an array of item objects",
            "-! line 5, column 1: expected '{' starting a parcel object",
            "P4 items=1 @6",
            "-! line 7, column 2: expected a key in double quotes or '}'",
            "P5! line 8, column 63: bad hs_code \"1\": expected 6 to 10 digits",
            "P6 items=1 @9",
        ])
    }

    @Test("a 10 MB line reads whole, through 64 KiB chunks")
    func tenMegabyteLine() throws {
        let unit = "NIKE 运动鞋 \\\"Air\\\" "   // as JSON text 17 scalars and 23 bytes; decoded 21 bytes
        let repeats = 10 * 1024 * 1024 / 23 + 1
        let description = String(repeating: unit, count: repeats)
        let long = #"{"parcel_id": "BIG", "items": [{"description": ""# + description + #"", "hs_code": "640411"}]}"#
        let text = goodLine("P1") + "\n" + long + "\n" + goodLine("P3") + "\n"
        let bytes = Array(text.utf8)
        #expect(bytes.count > 10 * 1024 * 1024)

        let start = ContinuousClock.now
        let records = readChunked(bytes, size: 64 * 1024)
        let elapsed = ContinuousClock.now - start
        #expect(records.map(recordSummary) == ["P1 items=1 @1", "BIG items=1 @2", "P3 items=1 @3"])
        if case .parcel(let parcel, _) = records[1] {
            #expect(parcel.items[0].description.utf8.count == repeats * 21)
            #expect(parcel.items[0].description.hasPrefix("NIKE 运动鞋 \"Air\" NIKE"))
            #expect(parcel.items[0].hsCode == "640411")
        }
        #expect(elapsed < .seconds(5), "10 MB line took \(elapsed)")

        // Cut short: the error is at the end of the 10 MB line, its column in scalars.
        let cut = goodLine("P1") + "\n" + #"{"parcel_id": "BIG", "items": [{"description": ""# + description + "\n"
            + goodLine("P3")
        let lineEnd = 48 + repeats * 17 + 2   // the opening quote is at column 48, the closing one after the text
        let broken = readChunked(Array(cut.utf8), size: 64 * 1024)
        #expect(broken.map(recordSummary) == ["P1 items=1 @1",
                                        "BIG! line 2, column 48: unterminated string: expected a closing '\"'",
                                        "P3 items=1 @3"])
        let truncatedAfterString = goodLine("P1") + "\n" + #"{"parcel_id": "BIG", "items": [{"description": ""#
            + description + "\"\n" + goodLine("P3")
        #expect(readChunked(Array(truncatedAfterString.utf8), size: 64 * 1024).map(recordSummary) == [
            "P1 items=1 @1", "BIG! line 2, column \(lineEnd): expected ',' or '}'", "P3 items=1 @3",
        ])
    }

    @Test("error records carry the file name and the contract's error text")
    func errorRecordShape() throws {
        let records = read(goodLine("P1") + "\n" + #"{"parcel_id": "P2", "items": [}"#, file: "in/listings.jsonl")
        let error = try #require(records.last.flatMap { record -> RecordError? in
            if case .error(let error) = record { return error } else { return nil }
        })
        #expect(error.parcel == "P2")
        #expect(error.location == SourceLocation(file: "in/listings.jsonl", line: 2, column: 31))
        #expect(error.message == "expected a JSON value")
        #expect(error.description == "line 2, column 31: expected a JSON value")
    }

    @Test("a file is streamed in chunks with the same records as bytes in memory; unopenable files throw")
    func fileMatchesBytes() throws {
        var text = ""
        for n in 0..<3000 {
            text += #"{"parcel_id": "P\#(n)", "consignor": "Seller \#(n / 3)", "items": [{"description": "运动鞋 \#(n) NIKE \"Air\"", "hs_code": "640411", "quantity": \#(n % 7 + 1), "unit_price": "\#(n).5", "currency": "usd"}, {"description": "box"}]}"#
            text += n % 10 == 0 ? "\r\n\n" : "\n"
        }
        let path = NSTemporaryDirectory() + "markgate-jsonl-\(UUID().uuidString).jsonl"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let fromFile = Array(try JSONLinesManifestReader(path: path))
        let fromBytes = Array(JSONLinesManifestReader(bytes: Array(text.utf8), file: path))
        #expect(fromFile.count == 3000)
        #expect(fromFile == fromBytes)
        if case .parcel(let parcel, let source) = fromFile.last {
            #expect(parcel.id == "P2999")
            #expect(parcel.items[0] == item(1, "运动鞋 2999 NIKE \"Air\"", hs: "640411", qty: Double(2999 % 7 + 1),
                                            price: 2999.5, currency: "USD"))
            #expect(source.line == 3000 + 300)
        } else {
            Issue.record("last record is not a parcel: \(String(describing: fromFile.last))")
        }

        #expect(throws: ManifestOpenError.self) { try JSONLinesManifestReader(path: "/nonexistent/markgate/parcels.jsonl") }
        #expect(throws: ManifestOpenError.self) { try JSONLinesManifestReader(path: NSTemporaryDirectory()) }
    }
}
