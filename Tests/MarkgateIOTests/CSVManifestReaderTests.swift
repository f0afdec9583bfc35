import Foundation
import MarkgateCore
import MarkgateIO
import Testing

// MARK: - Helpers

private func read(_ input: String, file: String = "test.csv") -> [ManifestRecord] {
    Array(CSVManifestReader(bytes: testBytes(input), file: file))
}

/// The same input fed one byte at a time, to cross every chunk boundary.
private func readByteByByte(_ input: String, file: String = "test.csv") -> [ManifestRecord] {
    let bytes = testBytes(input)
    var position = 0
    let reader = CSVManifestReader(file: file) {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return [bytes[position]]
    }
    return Array(reader)
}

private let fullHeader = "parcel_id,line_no,description,hs_code,quantity,unit_price,currency,origin,consignor,consignee\n"
private let shortHeader = "parcel_id,description,hs_code,quantity,unit_price,currency\n"

// MARK: - Well-formed manifests

struct GoodManifestCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// Each parcel with the line of its first row.
    var expected: [(parcel: Parcel, line: Int)]

    var testDescription: String { name }
}

private func item(_ line: Int, _ description: String, hs: String? = nil, qty: Double? = nil, price: Double? = nil,
                  currency: String? = nil, origin: String? = nil) -> ParcelItem {
    ParcelItem(line: line, description: description, hsCode: hs, quantity: qty, unitPrice: price,
               currency: currency, origin: origin)
}

private let goodManifestCases: [GoodManifestCase] = [
    GoodManifestCase(
        name: "all columns, adjacent rows form one parcel",
        input: fullHeader + """
        P1,1,running shoes,640411,2,12.5,USD,CN,Ningbo Jiali,buyer-1
        P1,2,baby bottle,392490,10,2.76,USD,CN,Ningbo Jiali,buyer-1
        P2,1,运动鞋,640411,1,30,CNY,VN,Putian Yuxin,buyer-2

        """,
        expected: [
            (Parcel(id: "P1", consignor: "Ningbo Jiali", consignee: "buyer-1", items: [
                item(1, "running shoes", hs: "640411", qty: 2, price: 12.5, currency: "USD", origin: "CN"),
                item(2, "baby bottle", hs: "392490", qty: 10, price: 2.76, currency: "USD", origin: "CN"),
            ]), 2),
            (Parcel(id: "P2", consignor: "Putian Yuxin", consignee: "buyer-2", items: [
                item(1, "运动鞋", hs: "640411", qty: 1, price: 30, currency: "CNY", origin: "VN"),
            ]), 4),
        ]
    ),
    GoodManifestCase(
        name: "quoted fields with commas and doubled quotes",
        input: fullHeader + """
        P1,1,"Shoes, ""NIKE"" style",640411,1,9.9,USD,CN,"Ningbo Jiali Trading Co., Ltd.",""

        """,
        expected: [
            (Parcel(id: "P1", consignor: "Ningbo Jiali Trading Co., Ltd.", items: [
                item(1, "Shoes, \"NIKE\" style", hs: "640411", qty: 1, price: 9.9, currency: "USD", origin: "CN"),
            ]), 2),
        ]
    ),
    GoodManifestCase(
        name: "quoted field with an embedded line break moves the next row's line",
        input: shortHeader + "P1,\"line one\nline two, still one\",640411,1,2,USD\nP2,bag,420221,1,3,USD\n",
        expected: [
            (Parcel(id: "P1", items: [item(1, "line one\nline two, still one", hs: "640411", qty: 1, price: 2,
                                            currency: "USD")]), 2),
            (Parcel(id: "P2", items: [item(1, "bag", hs: "420221", qty: 1, price: 3, currency: "USD")]), 4),
        ]
    ),
    GoodManifestCase(
        name: "CRLF line ends, CRLF inside quotes kept",
        input: "parcel_id,description\r\nP1,\"a\r\nb\"\r\nP1,shoes\r\nP2,bag\r\n",
        expected: [
            (Parcel(id: "P1", items: [item(1, "a\r\nb"), item(2, "shoes")]), 2),
            (Parcel(id: "P2", items: [item(1, "bag")]), 5),
        ]
    ),
    GoodManifestCase(
        name: "byte-order mark skipped",
        input: "<EF><BB><BF>parcel_id,description\nP1,shoes\n",
        expected: [(Parcel(id: "P1", items: [item(1, "shoes")]), 2)]
    ),
    GoodManifestCase(
        name: "header case, spacing and order; currency and origin upper-cased",
        input: " Description ,Currency,PARCEL_ID, Unit Price ,origin\nshoes,usd,P1, 12.5 ,cn\n",
        expected: [(Parcel(id: "P1", items: [item(1, "shoes", price: 12.5, currency: "USD", origin: "CN")]), 2)]
    ),
    GoodManifestCase(
        name: "unknown columns ignored",
        input: "weight_kg,parcel_id,notes,description\n1.5,P1,\"fragile, \"\"glass\"\"\",vase\n",
        expected: [(Parcel(id: "P1", items: [item(1, "vase")]), 2)]
    ),
    GoodManifestCase(
        name: "only adjacent rows group: the same id later is another parcel",
        input: "parcel_id,description\nP1,a\nP2,b\nP1,c\nP1,d\n",
        expected: [
            (Parcel(id: "P1", items: [item(1, "a")]), 2),
            (Parcel(id: "P2", items: [item(1, "b")]), 3),
            (Parcel(id: "P1", items: [item(1, "c"), item(2, "d")]), 4),
        ]
    ),
    GoodManifestCase(
        name: "line_no defaults to the row's position in its parcel",
        input: "parcel_id,line_no,description\nP1,,a\nP1,7,b\nP1, ,c\nP2,,d\n",
        expected: [
            (Parcel(id: "P1", items: [item(1, "a"), item(7, "b"), item(3, "c")]), 2),
            (Parcel(id: "P2", items: [item(1, "d")]), 5),
        ]
    ),
    GoodManifestCase(
        name: "empty optional fields are absent; values trimmed, description kept as declared",
        input: fullHeader + "P1,,  shoes ,, ,,,,  , \n",
        expected: [(Parcel(id: "P1", items: [item(1, "  shoes ")]), 2)]
    ),
    GoodManifestCase(
        name: "consignor and consignee come from the parcel's first row",
        input: "parcel_id,description,consignor,consignee\n P1 ,a,Seller A,Buyer A\nP1,b,Seller B,Buyer B\n",
        expected: [(Parcel(id: "P1", consignor: "Seller A", consignee: "Buyer A", items: [item(1, "a"), item(2, "b")]), 2)]
    ),
    GoodManifestCase(
        name: "no final line break; blank and comma-only rows skipped",
        input: "\nparcel_id,description\n\nP1,a\n,\n\r\nP2,b",
        expected: [
            (Parcel(id: "P1", items: [item(1, "a")]), 4),
            (Parcel(id: "P2", items: [item(1, "b")]), 7),
        ]
    ),
    GoodManifestCase(
        name: "HS codes of 6 to 10 digits, numbers in any Double form",
        input: "parcel_id,description,hs_code,quantity,unit_price\nP1,a,640411,1e1,0.5\nP1,b,6404110000,+3,.25\n",
        expected: [(Parcel(id: "P1", items: [item(1, "a", hs: "640411", qty: 10, price: 0.5),
                                             item(2, "b", hs: "6404110000", qty: 3, price: 0.25)]), 2)]
    ),
    GoodManifestCase(
        name: "header only: no records",
        input: "parcel_id,description\n",
        expected: []
    ),
]

// MARK: - Broken manifests

struct BadManifestCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// `recordSummary(_:)` of every record, in order.
    var expected: [String]

    var testDescription: String { name }
}

private let badManifestCases: [BadManifestCase] = [
    BadManifestCase(
        name: "unterminated quote at the end of input",
        input: shortHeader + """
        P1,shoes,640411,1,2.0,USD
        P2,bag,420221,1,3.0,USD
        P3,"broken shoes,640411,1,2.0,USD
        """,
        expected: ["P1 items=1 @2", "P2 items=1 @3", "P3! line 4, column 4: unterminated quoted field"]
    ),
    BadManifestCase(
        name: "unterminated quote running to the end over later rows: those rows still come through",
        input: shortHeader + """
        P1,shoes,640411,1,2.0,USD
        P2,"Nike shoes,640411,1,2.0,USD
        P3,bag,420221,1,3.0,USD
        P4,cap,650500,1,3.0,USD

        """,
        expected: ["P1 items=1 @2", "P2! line 3, column 4: unterminated quoted field", "P3 items=1 @4", "P4 items=1 @5"]
    ),
    BadManifestCase(
        name: "unterminated quote closed by a later row's quote: the later rows still come through",
        input: shortHeader + """
        P1,shoes,640411,1,2.0,USD
        P2,"Nike shoes,640411,1,2.0,USD
        P3,bag,420221,1,3.0,USD
        P4,"Adidas, shoes",640411,1,2.0,USD
        P5,cap,650500,1,3.0,USD

        """,
        expected: ["P1 items=1 @2", "P2! line 3, column 4: unterminated quoted field", "P3 items=1 @4",
                   "P4 items=1 @5", "P5 items=1 @6"]
    ),
    BadManifestCase(
        name: "too few fields: reported where the missing field would start",
        input: shortHeader + "P1,shoes,640411,1,2.0,USD\nP2,bag,420221,1,3.0\nP3,cap,650500,1,3.0,USD\n",
        expected: ["P1 items=1 @2", "P2! line 3, column 20: expected 6 fields, found 5", "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "too many fields: reported at the first extra field",
        input: shortHeader + "P1,shoes,640411,1,2.0,USD\nP2,bag,420221,1,3.0,USD,extra\nP3,cap,650500,1,3.0,USD\n",
        expected: ["P1 items=1 @2", "P2! line 3, column 25: expected 6 fields, found 7", "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "quote inside an unquoted field",
        input: shortHeader + "P1,shoes,640411,1,2.0,USD\nP2,Nike \"Air\" shoes,640411,1,2.0,USD\nP3,cap,650500,1,3.0,USD\n",
        expected: ["P1 items=1 @2",
                   "P2! line 3, column 9: quote inside an unquoted field; expected the whole field in quotes, with \"\" for a quote",
                   "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "characters after a closing quote",
        input: shortHeader + "P1,shoes,640411,1,2.0,USD\nP2,\"Nike\" Air,640411,1,2.0,USD\nP3,cap,650500,1,3.0,USD\n",
        expected: ["P1 items=1 @2",
                   "P2! line 3, column 10: characters after a closing quote; expected a comma or a line break",
                   "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "invalid UTF-8 byte, column counted in scalars",
        input: shortHeader + "P1,shoes,640411,1,2.0,USD\nP2,运动鞋<FF>,640411,1,2.0,USD\nP3,cap,650500,1,3.0,USD\n",
        expected: ["P1 items=1 @2", "P2! line 3, column 7: invalid UTF-8 byte 0xFF", "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "truncated UTF-8 sequence",
        input: shortHeader + "P1,鞋<E9><9E>x,640411,1,2.0,USD\nP2,cap,650500,1,3.0,USD\n",
        expected: ["P1! line 2, column 5: invalid UTF-8: incomplete multi-byte sequence", "P2 items=1 @3"]
    ),
    BadManifestCase(
        name: "bad quantity",
        input: shortHeader + "P1,shoes,640411,1,2.0,USD\nP2,bag,420221,two,3.0,USD\nP3,cap,650500,1,3.0,USD\n",
        expected: ["P1 items=1 @2", "P2! line 3, column 15: bad quantity \"two\": expected a number ≥ 0", "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "bad unit price: not finite, negative, decimal comma",
        input: shortHeader + "P1,a,640411,1,nan,USD\nP2,b,640411,1,-3,USD\nP3,c,640411,1,\"3,5\",USD\nP4,d,640411,1,3.5,USD\n",
        expected: ["P1! line 2, column 15: bad unit_price \"nan\": expected a number ≥ 0",
                   "P2! line 3, column 15: bad unit_price \"-3\": expected a number ≥ 0",
                   "P3! line 4, column 15: bad unit_price \"3,5\": expected a number ≥ 0",
                   "P4 items=1 @5"]
    ),
    BadManifestCase(
        name: "bad HS codes: too short, punctuated, too long",
        input: shortHeader + "P1,a,4202,1,3.0,USD\nP2,b,6404.11,1,3.0,USD\nP3,c,64041100001,1,3.0,USD\nP4,d, 640411 ,1,3.0,USD\n",
        expected: ["P1! line 2, column 6: bad hs_code \"4202\": expected 6 to 10 digits",
                   "P2! line 3, column 6: bad hs_code \"6404.11\": expected 6 to 10 digits",
                   "P3! line 4, column 6: bad hs_code \"64041100001\": expected 6 to 10 digits",
                   "P4 items=1 @5"]
    ),
    BadManifestCase(
        name: "bad line_no",
        input: "parcel_id,line_no,description\nP1,one,a\nP2,0,b\nP3,2,c\n",
        expected: ["P1! line 2, column 4: bad line_no \"one\": expected a whole number from 1",
                   "P2! line 3, column 4: bad line_no \"0\": expected a whole number from 1",
                   "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "missing required column: one error, then nothing",
        input: "parcel_id,hs_code\nP1,640411\nP2,420221\n",
        expected: ["-! line 1, column 1: missing required column description in the header row"]
    ),
    BadManifestCase(
        name: "missing both required columns",
        input: "id,desc\nP1,a\n",
        expected: ["-! line 1, column 1: missing required columns parcel_id, description in the header row"]
    ),
    BadManifestCase(
        name: "a column named twice",
        input: "parcel_id,description,Description\nP1,a,b\n",
        expected: ["-! line 1, column 23: column description named twice in the header row"]
    ),
    BadManifestCase(
        name: "empty input",
        input: "",
        expected: ["-! line 1, column 1: no header row; expected a row naming the columns parcel_id, description, …"]
    ),
    BadManifestCase(
        name: "empty parcel_id: an error of its own between the parcels around it",
        input: "parcel_id,description\nP1,a\n  ,b\nP1,c\n",
        expected: ["P1 items=1 @2", "-! line 3, column 1: empty parcel_id", "P1 items=1 @4"]
    ),
    BadManifestCase(
        name: "empty description",
        input: "parcel_id,description\nP1,a\nP2,  \nP3,c\n",
        expected: ["P1 items=1 @2", "P2! line 3, column 4: empty description", "P3 items=1 @4"]
    ),
    BadManifestCase(
        name: "bad rows of a multi-row parcel: one error naming the first problem",
        input: shortHeader + """
        P1,shoes,640411,1,2.0,USD
        P2,bag,420221,1,3.0,USD
        P2,belt,420330,x,3.0,USD
        P2,cap,65,1,3.0,USD
        P3,cap,650500,1,3.0,USD

        """,
        expected: ["P1 items=1 @2", "P2! line 4, column 16: bad quantity \"x\": expected a number ≥ 0", "P3 items=1 @6"]
    ),
    BadManifestCase(
        name: "a broken quote in the header row stops reading",
        input: "parcel_id,\"description\nP1,a\n",
        expected: ["-! line 1, column 11: unterminated quoted field (in the header row)"]
    ),
    BadManifestCase(
        name: "byte-order mark not counted in columns",
        input: "<EF><BB><BF>parcel_id,description,quantity\nP1,a,b\n",
        expected: ["P1! line 2, column 6: bad quantity \"b\": expected a number ≥ 0"]
    ),
]

// MARK: - Tests

@Suite("CSV manifest reader")
struct CSVManifestReaderTests {
    @Test("well-formed manifests", arguments: goodManifestCases)
    func wellFormed(_ testCase: GoodManifestCase) {
        let records = read(testCase.input)
        let expected: [ManifestRecord] = testCase.expected.map {
            .parcel($0.parcel, source: SourceLocation(file: "test.csv", line: $0.line, column: 1))
        }
        #expect(records == expected)
        #expect(readByteByByte(testCase.input) == records)
    }

    @Test("broken manifests: every other record comes through", arguments: badManifestCases)
    func broken(_ testCase: BadManifestCase) {
        let records = read(testCase.input)
        #expect(records.map(recordSummary) == testCase.expected)
        #expect(readByteByByte(testCase.input) == records)
    }

    @Test("error records carry the file name and the contract's error text")
    func errorRecordShape() throws {
        let records = read(shortHeader + "P1,\"shoes,640411,1,2.0,USD", file: "in/manifest.csv")
        let error = try #require(records.first.flatMap { record -> RecordError? in
            if case .error(let error) = record { return error } else { return nil }
        })
        #expect(error.parcel == "P1")
        #expect(error.location == SourceLocation(file: "in/manifest.csv", line: 2, column: 4))
        #expect(error.message == "unterminated quoted field")
        #expect(error.description == "line 2, column 4: unterminated quoted field")
    }

    @Test("a file that cannot be opened throws; nothing else does")
    func unopenable() {
        #expect(throws: ManifestOpenError.self) { try CSVManifestReader(path: "/nonexistent/markgate/parcels.csv") }
        #expect(throws: ManifestOpenError.self) { try CSVManifestReader(path: NSTemporaryDirectory()) }
    }

    @Test("a file is streamed in chunks with the same records as bytes in memory")
    func fileMatchesBytes() throws {
        // Long enough to span several 64 KiB chunks, with quoted line breaks and multi-byte text throughout.
        var text = fullHeader
        for n in 0..<3000 {
            let id = "P\(n / 3)"
            text += "\(id),,\"运动鞋 \(n),\nNIKE \"\"Air\"\"\",640411,\(n % 7 + 1),\(n).5,usd,CN,\"Seller, \(n / 3)\",b\(n)\r\n"
        }
        let path = NSTemporaryDirectory() + "markgate-csv-\(UUID().uuidString).csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let fromFile = Array(try CSVManifestReader(path: path))
        let fromBytes = Array(CSVManifestReader(bytes: Array(text.utf8), file: path))
        #expect(fromFile.count == 1000)
        #expect(fromFile == fromBytes)
        if case .parcel(let parcel, let source) = fromFile.last {
            #expect(parcel.id == "P999")
            #expect(parcel.items.map(\.line) == [1, 2, 3])
            #expect(parcel.items.last?.description == "运动鞋 2999,\nNIKE \"Air\"")
            #expect(source.line == 2 + 2 * 2997)
        } else {
            Issue.record("last record is not a parcel: \(String(describing: fromFile.last))")
        }
    }

    @Test("the development set reads whole: 3,000 parcels, 4,806 items, no error")
    func devset() throws {
        // Tests/MarkgateIOTests/<this file> → repository root → its parent holds shared/.
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/devset/parcels.csv").path
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("development set missing at \(path)")
            return
        }
        var parcels = 0, items = 0, errors: [String] = []
        var ids = Set<String>()
        for record in try CSVManifestReader(path: path) {
            switch record {
            case .parcel(let parcel, _):
                parcels += 1
                items += parcel.items.count
                ids.insert(parcel.id)
            case .error(let error):
                errors.append("\(error.location): \(error.message)")
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(5))")
        #expect(parcels == 3000)
        #expect(items == 4806)
        #expect(ids.count == 3000)
    }
}

// MARK: - Tokenizer

struct TokenizerCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// Each record as its fields, `line:column=text`, joined by ` | `.
    var records: [String]
    /// Each problem as `line:column kind`.
    var problems: [String] = []

    var testDescription: String { name }
}

private let tokenizerCases: [TokenizerCase] = [
    TokenizerCase(name: "plain fields and an empty last field", input: "a,b,\nc,d,e",
                  records: ["1:1=a | 1:3=b | 1:5=", "2:1=c | 2:3=d | 2:5=e"]),
    TokenizerCase(name: "columns count scalars, not bytes", input: "鞋,é,x\n",
                  records: ["1:1=鞋 | 1:3=é | 1:5=x"]),
    TokenizerCase(name: "quoted field spanning lines", input: "\"a\nb\",c\nd\n",
                  records: ["1:1=a\nb | 2:4=c", "3:1=d"]),
    TokenizerCase(name: "empty line is one empty field", input: "a\n\nb\n",
                  records: ["1:1=a", "2:1=", "3:1=b"]),
    TokenizerCase(name: "lone CR is text, CR at the end is a line break", input: "a\rb,c\r",
                  records: ["1:1=a\rb | 1:5=c"]),
    TokenizerCase(name: "BOM skipped, not counted", input: "<EF><BB><BF>a,b\n",
                  records: ["1:1=a | 1:3=b"]),
    TokenizerCase(name: "BOM only at the start", input: "a,<EF><BB><BF>b\n",
                  records: ["1:1=a | 1:3=\u{FEFF}b"]),
    TokenizerCase(name: "invalid byte replaced, rest of the record kept", input: "a<FF>b,c\nd\n",
                  records: ["1:1=a\u{FFFD}b | 1:5=c", "2:1=d"], problems: ["1:2 invalid-utf8"]),
    TokenizerCase(name: "surrogate and overlong encodings are invalid", input: "<ED><A0><80>,<C0><AF>\n",
                  records: ["1:1=\u{FFFD}\u{FFFD}\u{FFFD} | 1:5=\u{FFFD}\u{FFFD}"],
                  problems: ["1:1 invalid-utf8", "1:2 invalid-utf8", "1:3 invalid-utf8", "1:5 invalid-utf8",
                             "1:6 invalid-utf8"]),
    TokenizerCase(name: "truncated sequence before a comma", input: "<E9><9E>,x\n",
                  records: ["1:1=\u{FFFD} | 1:3=x"], problems: ["1:1 invalid-utf8"]),
    TokenizerCase(name: "quote in an unquoted field kept", input: "ab\"c,d\n",
                  records: ["1:1=ab\"c | 1:6=d"], problems: ["1:3 quote-in-unquoted-field"]),
    TokenizerCase(name: "text after a closing quote kept", input: "\"ab\"cd,e\n",
                  records: ["1:1=abcd | 1:8=e"], problems: ["1:5 text-after-closing-quote"]),
    TokenizerCase(name: "unterminated quote on the last line", input: "a,\"b,c",
                  records: ["1:1=a | 1:3=b,c"], problems: ["1:3 unterminated-quote"]),
    TokenizerCase(name: "unterminated quote undone: the next lines are read again", input: "a,\"b\r\nc,d\ne\n",
                  records: ["1:1=a | 1:3=b", "2:1=c | 2:3=d", "3:1=e"], problems: ["1:3 unterminated-quote"]),
    TokenizerCase(name: "doubled quotes", input: "\"\"\"\",\"a\"\"\"\n",
                  records: ["1:1=\" | 1:6=a\""]),
]

@Suite("CSV tokenizer")
struct CSVTokenizerTests {
    private static func describe(_ records: [CSVRecord]) -> (records: [String], problems: [String]) {
        (records.map { record in
            record.fields.map { "\($0.line):\($0.column)=\($0.text)" }.joined(separator: " | ")
        }, records.flatMap { $0.problems.map { "\($0.line):\($0.column) \($0.kind.rawValue)" } })
    }

    @Test("records, fields, positions and problems", arguments: tokenizerCases)
    func tokenize(_ testCase: TokenizerCase) {
        let bytes = testBytes(testCase.input)
        let result = Self.describe(Array(CSVTokenizer(bytes: bytes)))
        #expect(result.records == testCase.records)
        #expect(result.problems == testCase.problems)

        var position = 0
        let chunked = CSVTokenizer {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return [bytes[position]]
        }
        let byteByByte = Self.describe(Array(chunked))
        #expect(byteByByte.records == result.records)
        #expect(byteByByte.problems == result.problems)
    }
}

