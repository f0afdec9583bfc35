@testable import MarkgateIO
import MarkgateTestSupport
import Testing

/// Inputs the plain-line path must read exactly as the state machine does, and which path each record takes.
struct PlainLineCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String

    var testDescription: String { name }
}

private let plainLineCases: [PlainLineCase] = [
    PlainLineCase(name: "plain rows", input: "parcel_id,description\nP1,shoes\nP2,bag\n"),
    PlainLineCase(name: "CRLF rows", input: "a,b\r\nc,d\r\n"),
    PlainLineCase(name: "empty lines and an empty last field", input: "\n\na,\n,\n"),
    PlainLineCase(name: "no final line break", input: "a,b\nc,d"),
    PlainLineCase(name: "multi-byte scalars count one column each", input: "鞋,é,x\n耐克 运动鞋,𝕏,y\n"),
    PlainLineCase(name: "a lone CR goes to the state machine", input: "a\rb,c\nd\n"),
    PlainLineCase(name: "two CRs before the LF", input: "a,b\r\r\nc\n"),
    PlainLineCase(name: "quoted fields, empty, with commas and doubled quotes",
                  input: "\"a,b\",c,\"\"\n\"x\"\"y\"\"\",\"鞋,é\"\r\n"),
    PlainLineCase(name: "text after a closing quote goes to the state machine", input: "\"ab\"cd,e\nf\n"),
    PlainLineCase(name: "a quote in an unquoted field goes to the state machine", input: "ab\"c,d\ne\n"),
    PlainLineCase(name: "a quoted field over a line break", input: "\"a\nb\",c\nd\n"),
    PlainLineCase(name: "a quoted field left open before CRLF", input: "a,\"b\r\nc\n"),
    PlainLineCase(name: "invalid UTF-8 goes to the state machine", input: "a<FF>b,c\nd,<E9><9E>\ne\n"),
    PlainLineCase(name: "a BOM at the start, and one inside a field", input: "<EF><BB><BF>a,b\nc,<EF><BB><BF>d\n"),
    PlainLineCase(name: "a quote opened over a line break, then plain lines",
                  input: "a,\"b\r\nc,d\ne,f\n"),
    // Lines longer than a word, read eight bytes at a time: commas at every offset of a word, a `-` (one above a
    // comma, where a borrow would show a false one) after each, non-ASCII bytes beside them.
    PlainLineCase(name: "long lines with commas at every offset of a word",
                  input: "a,-b,--c,---d,----e,-----f,------g,-------h,--------i\n,,,,,,,,,,,,,,,,,\n"
                      + "é,-鞋,-𝕏,-é-,,,-abcdefgh,ijklmnop,\n"),
    PlainLineCase(name: "a quote or a CR past the first word", input: "abcdefgh,ijkl,\"m,n\",o\nabcdefghij\rk,l\r\n"),
    PlainLineCase(name: "quoted fields across words, doubled quotes on a word's edge",
                  input: "\"abcdefg\"\"h\",ijklmnop,\"x,y,z,\"\"w\"\"\",\"\"\n\"\"\"\"\"\"\"\",\"é,鞋\"\n"),
    PlainLineCase(name: "text after a closing quote, a quote inside a field, past the first word",
                  input: "abcdefgh,\"ijklmn\"o,p\nabcdefgh\"ij,k\nabcdefghij,\"klm\n\"\"\"x\n\"abcdefg\"x\"\",y\n"),
]

/// Three-byte sequences at the edges of the fast path (E1-EC, EE, EF with any continuation bytes) and of the
/// leads it leaves to the table (E0, ED), with continuation bytes just in and just out of range, and cut short.
private let threeByteCases: [[UInt8]] = [
    [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF], [0xEE, 0x80, 0xBF], [0xEF, 0xBF, 0xBF], [0xE8, 0xBF, 0x80],
    [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
    [0xE1, 0x7F, 0x80], [0xE1, 0xC0, 0x80], [0xE1, 0x80, 0x7F], [0xEF, 0xBF, 0xC0], [0xE1, 0x80], [0xE1],
    [0xF0, 0x90, 0x80, 0x80], [0xDF, 0xBF, 0x80],
]

@Suite("CSV tokenizer: plain lines")
struct CSVPlainLineTests {
    @Test("a plain line reads as the state machine reads it", arguments: plainLineCases)
    func sameRecords(_ testCase: PlainLineCase) {
        let bytes = testBytes(testCase.input)
        let reference = Array(CSVTokenizer(bytes: bytes, plainLines: false))
        #expect(Array(CSVTokenizer(bytes: bytes)) == reference)
        #expect(Self.chunked(bytes, sizes: [1, 2, 3, 5, 8]) == reference)
    }

    @Test("generated inputs read the same both ways, whole and in chunks", arguments: 0..<8)
    func generated(_ seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ 11)
        // Fragments weighted towards plain rows, with every byte the state machine treats specially.
        let fragments: [[UInt8]] = [
            Array("abc".utf8), Array("P-0001".utf8), Array(" 12.50 ".utf8), Array("鞋".utf8), Array("é".utf8),
            Array("𝕏".utf8), [0x2C], [0x2C], [0x2C], [0x0A], [0x0A], [0x0D, 0x0A], Array("\"q,\"\"x\"".utf8),
            [0x0D], [0x22], [0x22, 0x22],
            [0xFF], [0xC0, 0xAF], [0xE9, 0x9E], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xF4, 0x90, 0x80, 0x80],
        ]
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                // Most rows are plain: quotes, CRs and bad bytes are rarer, so plain lines follow broken ones.
                let fragment = Int.random(in: 0..<100, using: &random) < 80
                    ? fragments[Int.random(in: 0...12, using: &random)]
                    : fragments[Int.random(in: 0..<fragments.count, using: &random)]
                bytes += fragment
            }
            let reference = Array(CSVTokenizer(bytes: bytes, plainLines: false))
            let whole = Array(CSVTokenizer(bytes: bytes))
            #expect(whole == reference, "\(bytes)")
            let sizes = (0..<4).map { _ in Int.random(in: 1...16, using: &random) }
            #expect(Self.chunked(bytes, sizes: sizes) == reference, "\(bytes) in chunks of \(sizes)")
        }
    }

    @Test("UTF8Lead.isWellFormed agrees with String(validating:)", arguments: 0..<4)
    func wellFormed(_ seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 101)
        let bytesToUse: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                                   0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                bytesToUse[Int.random(in: 0..<bytesToUse.count, using: &random)]
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(bytes.withUnsafeBufferPointer { UTF8Lead.isWellFormed($0) } == expected, "\(bytes)")
        }
    }

    @Test("UTF8Lead.isWellFormed on three-byte sequences, after ASCII and alone, agrees with String(validating:)",
          arguments: threeByteCases)
    func threeByteSequences(_ bytes: [UInt8]) {
        // Alone, after eight ASCII bytes (past the word-at-a-time ASCII run) and followed by ASCII.
        for input in [bytes, Array("abcdefgh".utf8) + bytes, bytes + Array("xyz".utf8)] {
            let expected = String(validating: input, as: UTF8.self) != nil
            #expect(input.withUnsafeBufferPointer { UTF8Lead.isWellFormed($0) } == expected, "\(input)")
        }
    }

    /// The tokenizer fed `bytes` in chunks cycling through `sizes`, so that lines cross chunk boundaries.
    private static func chunked(_ bytes: [UInt8], sizes: [Int]) -> [CSVRecord] {
        var position = 0, turn = 0
        let tokenizer = CSVTokenizer {
            guard position < bytes.count else { return nil }
            let size = sizes[turn % sizes.count]
            turn += 1
            defer { position = min(bytes.count, position + size) }
            return Array(bytes[position..<min(bytes.count, position + size)])
        }
        return Array(tokenizer)
    }
}

@Suite("CSV manifest reader: plain rows")
struct CSVPlainRowTests {
    /// Values for each column, good ones and every kind the plain-row path must leave to the record path.
    private static let values: [String: [String]] = [
        "parcel_id": ["P1", "P1", "P2", "P2", " P3 ", "", "\u{3000}P4", "P\"5"],
        "line_no": ["", "1", "2", " 3 ", "+4", "0", "-1", "05", "x", "1e2", "１", "\u{3000}2", "99999999999999999999"],
        "description": ["shoes", "耐克 运动鞋", "", " ", "\u{3000}", "15.6\" laptop", " padded ", "a,b", "\u{00A0}x"],
        "hs_code": ["", "851830", " 6109100000 ", "12345", "85183a", "８５１８３０", "85183012345"],
        "quantity": ["", "2", "7.65", " 12.50 ", "-3", "1e3", "inf", "nan", ".5", "5.", "+2", "1,5",
                     "123456789012345678", "\u{00A0}3", "0.1234567890123456789"],
        "unit_price": ["", "13.69", "0", "1E-2", "-0", "3.5 ", "12\u{3000}"],
        "currency": ["", "usd", "USD", " eur ", "ｕｓｄ", "\u{3000}cny", "Ünï"],
        "origin": ["", "cn", "KR", "cn ", "\u{2003}jp"],
        "consignor": ["", "Ningbo Jiali Trading Co., Ltd.", " x ", "\u{00A0}y\u{00A0}", "say \"hi\""],
        "consignee": ["", "buyer-1", " buyer-2 "],
    ]

    @Test("a copy made in the middle of a parcel reads on by itself", arguments: [true, false])
    func copiesReadIndependently(_ plainLines: Bool) {
        let text = "parcel_id,description\nP1,a\nP2,b\nP2,c\nP2,d\nP3,e\n"
        var original = CSVManifestReader(bytes: Array(text.utf8), file: "c.csv", plainLines: plainLines)
        let whole = Array(CSVManifestReader(bytes: Array(text.utf8), file: "c.csv", plainLines: plainLines))
        #expect(original.next() == whole[0])   // P1, read once P2's first row is: P2 is pending
        let copy = original
        let rest = Array(IteratorSequence(original))
        #expect(rest == Array(whole.dropFirst()))
        #expect(Array(IteratorSequence(copy)) == rest)
    }

    @Test("generated manifests read the same with and without plain rows, whole and in chunks", arguments: 0..<12)
    func generated(_ seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 7_001)
        let names = Array(Self.values.keys).sorted()
        // A header of some columns in some order: parcel_id and description always, the rest by chance.
        var header = names.filter { $0 == "parcel_id" || $0 == "description" || Bool.random(using: &random) }
        header.shuffle(using: &random)
        var text = header.joined(separator: ",") + "\n"
        for _ in 0..<60 {
            let lineEnd = Int.random(in: 0..<5, using: &random) == 0 ? "\r\n" : "\n"
            if Int.random(in: 0..<20, using: &random) == 0 {
                text += lineEnd   // a blank row
                continue
            }
            var fields = header.map { name -> String in
                let pool = Self.values[name]!
                // Mostly the first, plainly good values, so that runs of good rows form parcels.
                let value = Int.random(in: 0..<10, using: &random) < 7
                    ? pool[Int.random(in: 0..<min(3, pool.count), using: &random)]
                    : pool[Int.random(in: 0..<pool.count, using: &random)]
                let quote = value.contains(",") || value.contains("\"") || Int.random(in: 0..<8, using: &random) == 0
                return quote ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
            }
            if Int.random(in: 0..<25, using: &random) == 0 { fields.append("extra") }
            if Int.random(in: 0..<25, using: &random) == 0, fields.count > 1 { fields.removeLast() }
            text += fields.joined(separator: ",") + lineEnd
        }
        let bytes = Array(text.utf8)
        let reference = Array(CSVManifestReader(bytes: bytes, file: "g.csv", plainLines: false))
        #expect(Array(CSVManifestReader(bytes: bytes, file: "g.csv")) == reference, "\(text)")
        var position = 0
        let size = Int.random(in: 1...200, using: &random)
        let chunked = CSVManifestReader(file: "g.csv", chunks: {
            guard position < bytes.count else { return nil }
            defer { position = min(bytes.count, position + size) }
            return Array(bytes[position..<min(bytes.count, position + size)])
        })
        #expect(Array(chunked) == reference, "in chunks of \(size): \(text)")
    }
}
