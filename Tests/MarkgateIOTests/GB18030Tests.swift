import CZlib
import Foundation
import MarkgateCore
import Testing
@testable import MarkgateIO

// MARK: - GB18030 bytes, written out

/// The GB18030 codes of the characters these tests use, as `iconv -f utf-8 -t gb18030 | xxd` gives them: two bytes
/// for the Chinese characters and €, four for ÿ, 😀, 𠀀 and the byte-order mark.
private let gbCodes: [Unicode.Scalar: [UInt8]] = [
    "耐": [0xC4, 0xCD], "克": [0xBF, 0xCB], "运": [0xD4, 0xCB], "动": [0xB6, 0xAF], "鞋": [0xD0, 0xAC],
    "棉": [0xC3, 0xDE], "袜": [0xCD, 0xE0], "正": [0xD5, 0xFD], "品": [0xC6, 0xB7], "香": [0xCF, 0xE3],
    "奈": [0xC4, 0xCE], "儿": [0xB6, 0xF9], "包": [0xB0, 0xFC], "手": [0xCA, 0xD6], "表": [0xB1, 0xED],
    "€": [0xA2, 0xE3], "ÿ": [0x81, 0x30, 0x8B, 0x37], "😀": [0x94, 0x39, 0xFC, 0x36], "𠀀": [0x95, 0x32, 0x82, 0x36],
    "\u{FEFF}": [0x84, 0x31, 0x95, 0x33],
]

/// `text` in GB18030: ASCII as it is, the characters of `gbCodes` by their codes, and `<FF>` (two upper-case hex
/// digits in angle brackets) for that raw byte.
private func gb(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
        let scalar = scalars[index]
        if scalar == "<", index + 3 < scalars.count, scalars[index + 3] == ">",
           let byte = UInt8(String(String.UnicodeScalarView(scalars[(index + 1)...(index + 2)])), radix: 16) {
            out.append(byte)
            index += 4
            continue
        }
        if scalar.isASCII {
            out.append(UInt8(scalar.value))
        } else {
            guard let code = gbCodes[scalar] else { preconditionFailure("no GB18030 code for \(scalar) in the tests") }
            out.append(contentsOf: code)
        }
        index += 1
    }
    return out
}

/// The twin of `gb(text)` in UTF-8 (raw-byte markers are not allowed there).
private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// What the decoder stands an undecodable run with, as text.
private let marker = String(GB18030Decoder.replacement)

/// Decodes `chunks` one after the other: the text, and each undecodable run as `line:column bytes`.
private func decode(_ chunks: [[UInt8]]) -> (text: [UInt8], runs: [String]) {
    var queue = chunks[...]
    let decoder = GB18030Decoder(chunks: { queue.popFirst() })
    var text: [UInt8] = []
    while let chunk = decoder.next() { text.append(contentsOf: chunk) }
    var runs: [String] = []
    while let run = decoder.invalidSequences.first(from: 1, 1) {
        runs.append("\(run.line):\(run.column) \(run.message)")
        _ = decoder.invalidSequences.first(from: run.line, run.column + 1)
    }
    return (text, runs)
}

private func gzip(_ input: [UInt8]) -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
    precondition(deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    var source = input
    var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(input.count))) + 64)
    let written = source.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inBuffer.count)
            stream.pointee.next_out = outBuffer.baseAddress
            stream.pointee.avail_out = UInt32(outBuffer.count)
            precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
            return outBuffer.count - Int(stream.pointee.avail_out)
        }
    }
    output.removeSubrange(written...)
    return output
}

/// A chunk function over `data`, `size` bytes at a time.
private func chunks(of data: [UInt8], size: Int) -> () -> [UInt8]? {
    var position = 0
    return {
        guard position < data.count else { return nil }
        defer { position += size }
        return Array(data[position..<min(position + size, data.count)])
    }
}

private let gb18030 = ManifestOptions(encoding: .gb18030)

private func records(_ bytes: [UInt8], options: ManifestOptions = gb18030, file: String = "m") -> [ManifestRecord] {
    Array(ManifestSource(bytes: bytes, file: file, options: options))
}

private let register = Register(marks: [
    Mark(id: "NIKE", names: ["NIKE", "耐克"], classes: [25]),
    Mark(id: "CHANEL", names: ["CHANEL", "香奈儿"], classes: [18, 25]),
])

/// `P1 review 耐克@2..<4` per parcel (hits with their offsets), `error P3` per error record.
private func screened(_ records: [ManifestRecord]) -> [String] {
    let screener = Screener(register: register)
    return records.map { record in
        switch record {
        case .parcel(let parcel, _):
            let decision = screener.screen(parcel)
            let hits = decision.hits.map { "\($0.matched)@\($0.start)..<\($0.end)" }.joined(separator: " ")
            return "\(decision.parcel) \(decision.decision.rawValue) \(hits)"
        case .error(let error):
            return "error \(error.parcel ?? "-")"
        }
    }
}

// MARK: - Decoding

struct DecodeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    /// The decoded text, `¤` standing for the undecodable-run marker.
    var expected: String
    /// Each undecodable run: `line:column message`.
    var runs: [String] = []

    var testDescription: String { name }
}

private let decodeCases: [DecodeCase] = [
    DecodeCase(name: "ASCII passes unchanged", input: Array("parcel_id,description\r\nP1,x\n".utf8),
               expected: "parcel_id,description\r\nP1,x\n"),
    DecodeCase(name: "two-byte sequences (耐克 is C4 CD BF CB)", input: [0xC4, 0xCD, 0xBF, 0xCB], expected: "耐克"),
    DecodeCase(name: "the euro sign, two bytes", input: [0xA2, 0xE3], expected: "€"),
    DecodeCase(name: "a four-byte sequence in the BMP", input: [0x61, 0x81, 0x30, 0x8B, 0x37, 0x62], expected: "aÿb"),
    DecodeCase(name: "four-byte sequences beyond the BMP",
               input: [0x94, 0x39, 0xFC, 0x36, 0x95, 0x32, 0x82, 0x36], expected: "😀𠀀"),
    DecodeCase(name: "a byte-order mark becomes UTF-8's", input: [0x84, 0x31, 0x95, 0x33, 0x61], expected: "\u{FEFF}a"),
    DecodeCase(name: "0x80 is undecodable", input: [0x61, 0x80, 0x62], expected: "a¤b",
               runs: ["1:2 invalid GB18030 byte sequence 0x80"]),
    DecodeCase(name: "0xFF is undecodable", input: [0x0A, 0x61, 0xFF], expected: "\na¤",
               runs: ["2:2 invalid GB18030 byte sequence 0xFF"]),
    DecodeCase(name: "a lead byte before ASCII: the ASCII is kept", input: [0xC4, 0xCD, 0x81, 0x20, 0x61],
               expected: "耐¤ a", runs: ["1:2 invalid GB18030 byte sequence 0x81"]),
    DecodeCase(name: "a run of undecodable bytes is one marker", input: [0xFF, 0xFF, 0xA1, 0xFF, 0x80, 0x41],
               expected: "¤A", runs: ["1:1 invalid GB18030 byte sequence 0xFF 0xFF 0xA1 0xFF … (5 bytes)"]),
    DecodeCase(name: "two runs apart are two markers", input: [0xFF, 0x41, 0xFF], expected: "¤A¤",
               runs: ["1:1 invalid GB18030 byte sequence 0xFF", "1:3 invalid GB18030 byte sequence 0xFF"]),
    DecodeCase(name: "a two-byte sequence cut off by the end of input", input: [0xC4, 0xCD, 0xBF], expected: "耐¤",
               runs: ["1:2 invalid GB18030 byte sequence 0xBF"]),
    DecodeCase(name: "a four-byte sequence cut off by the end of input", input: [0x61, 0x81, 0x30, 0x8B],
               expected: "a¤", runs: ["1:2 invalid GB18030 byte sequence 0x81 0x30 0x8B"]),
    DecodeCase(name: "a byte-order mark is not counted in columns", input: [0x84, 0x31, 0x95, 0x33, 0x61, 0xFF],
               expected: "\u{FEFF}a¤", runs: ["1:2 invalid GB18030 byte sequence 0xFF"]),
]

/// Texts with two- and four-byte sequences (and undecodable bytes) to cut at every point.
private let splitCases: [(name: String, bytes: [UInt8])] = [
    ("two- and four-byte sequences", gb("耐克 ÿ😀€\n运动鞋𠀀")),
    ("undecodable bytes between sequences", gb("耐<FF>克<81> ÿ<80><80>😀\n鞋")),
    ("a sequence cut off by the end of input", gb("正品<95><32>")),
]

@Suite("GB18030")
struct GB18030Tests {
    @Test("GB18030 decodes to UTF-8; undecodable runs become one marker each, logged where they are",
          arguments: decodeCases)
    func decoding(_ testCase: DecodeCase) {
        let (text, runs) = decode([testCase.input])
        let expected = testCase.expected.replacingOccurrences(of: "¤", with: marker)
        #expect(String(decoding: text, as: UTF8.self) == expected)
        #expect(runs == testCase.runs)
    }

    @Test("A sequence split across chunks decodes the same at every split point, and byte by byte",
          arguments: splitCases.map(\.name))
    func splitSequences(_ name: String) {
        let bytes = splitCases.first { $0.name == name }!.bytes
        let whole = decode([bytes])
        for split in 0...bytes.count {
            let parts = decode([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(parts.text == whole.text, "split at \(split)")
            #expect(parts.runs == whole.runs, "split at \(split)")
        }
        let byteByByte = decode(bytes.map { [$0] })
        #expect(byteByByte.text == whole.text)
        #expect(byteByByte.runs == whole.runs)
        #expect(!whole.text.isEmpty)
    }

    // MARK: Manifests and their UTF-8 twins

    struct TwinCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// The manifest, written with characters that `gb` knows.
        var text: String
        /// What the GB18030 form's declaration says instead of `UTF-8` (same length, so positions agree).
        var declared: String? = nil
        var parcels: Int
        var testDescription: String { name }
    }

    static let twinCases: [TwinCase] = [
        TwinCase(name: "CSV with Chinese descriptions", text: """
            parcel_id,line_no,description,hs_code,consignor
            P1,1,正品耐克运动鞋,640411,运动
            P1,2,棉袜 😀,611595,运动
            P2,1,香奈儿手包 €,420221,"正品, 香奈儿"
            P3,1,棉袜 ÿ 𠀀,611595,

            """, parcels: 3),
        TwinCase(name: "CSV with a byte-order mark and a broken row", text: "\u{FEFF}parcel_id,description,hs_code\n"
                    + "P1,耐克鞋,640411\nP2,\"棉袜\nP3,香奈儿包,420221\n", parcels: 2),
        TwinCase(name: "JSON Lines", text: """
            {"parcel_id": "J1", "consignor": "运动", "items": [{"description": "正品耐克运动鞋", "hs_code": "640411"}]}
            {"parcel_id": "J2", "items": [{"description": "香奈儿 😀 手包", "hs_code": "420221"}]}

            """, parcels: 2),
        TwinCase(name: "generic XML declaring its encoding", text: """
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest>
              <parcel id="X1" consignor="运动"><item hs="640411">正品耐克运动鞋</item></parcel>
              <parcel id="X2"><item hs="420221">香奈儿手包 €</item><item>棉袜 ÿ</item></parcel>
            </manifest>

            """, declared: "GB18030", parcels: 2),
        TwinCase(name: "CEB621 XML", text: """
            <?xml version="1.0"?>
            <CEB621Message xmlns="http://www.chinaport.gov.cn/ceb"><Inventory><InventoryHead>\
            <logisticsNo>L1</logisticsNo><ebcName>运动</ebcName></InventoryHead>\
            <InventoryList><gname>正品耐克运动鞋</gname><gcode>6404110000</gcode></InventoryList></Inventory>\
            </CEB621Message>

            """, parcels: 1),
    ]

    @Test("A GB18030 manifest gives the records and decisions of its UTF-8 twin, gzipped or not, in any chunking",
          arguments: twinCases)
    func sameAsUTF8Twin(_ testCase: TwinCase) {
        // `declared` replaces UTF-8 in the GB18030 form only; "UTF-8" is 5 characters, so pad the twin's.
        var utf8Text = testCase.text, gbText = testCase.text
        if let declared = testCase.declared {
            utf8Text = utf8Text.replacingOccurrences(of: "\"UTF-8\"", with: "\"UTF-8\"  ")
            gbText = gbText.replacingOccurrences(of: "\"UTF-8\"", with: "\"\(declared)\"")
        }
        let expected = records(utf8(utf8Text), options: ManifestOptions())
        let parcels = expected.filter { if case .parcel = $0 { true } else { false } }
        #expect(parcels.count == testCase.parcels)

        let bytes = gb(gbText)
        #expect(records(bytes) == expected)
        #expect(screened(records(bytes)) == screened(expected))
        #expect(records(gzip(bytes)) == expected, "gzip")
        for size in [1, 2, 3, 5, 64] {
            let source = ManifestSource(file: "m", chunks: chunks(of: bytes, size: size), options: gb18030)
            #expect(Array(source) == expected, "chunks of \(size)")
            let gzipped = ManifestSource(file: "m", chunks: chunks(of: gzip(bytes), size: size), options: gb18030)
            #expect(Array(gzipped) == expected, "gzip in chunks of \(size)")
        }
    }

    @Test("Chinese names are found in a GB18030 manifest at the offsets of the decoded text")
    func chineseNamesFound() {
        let bytes = gb("parcel_id,description,hs_code\nP1,正品耐克运动鞋,640411\nP2,棉袜,611595\nP3,香奈儿手包,420221\n")
        #expect(screened(records(bytes)) == ["P1 review 耐克@2..<4", "P2 clear ", "P3 review 香奈儿@0..<3"])
        // Read as UTF-8, the same bytes are invalid: every row is an error record.
        #expect(screened(records(bytes, options: ManifestOptions())) == ["error P1", "error P2", "error P3"])
    }

    @Test("An XML declaration's encoding is blanked out in place: positions after it stay")
    func xmlDeclarationBlanked() {
        let prefix = "<?xml version=\"1.0\" encoding=\"GB18030\" standalone=\"yes\"?><manifest>"
        let text = prefix + "<parcel id=\"X1\"><item>耐克鞋</item></parcel><parcel id=\"X2\"><item hs=\"12\">棉袜</item>"
            + "</parcel></manifest>"
        let expectedColumn = prefix.unicodeScalars.count + 1
        let read = records(gb(text), file: "m.xml")
        #expect(read.count == 2)
        #expect(read.first == .parcel(Parcel(id: "X1", items: [ParcelItem(line: 1, description: "耐克鞋")]),
                                      source: SourceLocation(file: "m.xml", line: 1, column: expectedColumn)))
        guard case .error(let error) = read.last else {
            Issue.record("expected an error record, got \(String(describing: read.last))")
            return
        }
        #expect(error.parcel == "X2")
        // Without --encoding, libxml2 decodes the declared GB18030 itself: the same records.
        #expect(records(gb(text), options: ManifestOptions(), file: "m.xml") == read)
    }

    // MARK: Undecodable sequences in manifests

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// The manifest for `gb`, with `<FF>` for raw bytes.
        var input: String
        /// `recordSummary` of each record.
        var expected: [String]
        var testDescription: String { name }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(
            name: "CSV: 0xFF in a description",
            input: "parcel_id,description,hs_code\nP1,耐克<FF>鞋,640411\nP2,棉袜,611595\nP3,香奈儿,420221\n",
            expected: ["P1! m:2:6 line 2, column 6: invalid GB18030 byte sequence 0xFF", "P2 items=1 @3",
                       "P3 items=1 @4"]),
        InvalidCase(
            name: "CSV: a lead byte before a comma, in the last row",
            input: "parcel_id,description,hs_code\nP1,耐克鞋,640411\nP2,棉袜<81>,611595\n",
            expected: ["P1 items=1 @2", "P2! m:3:6 line 3, column 6: invalid GB18030 byte sequence 0x81"]),
        InvalidCase(
            name: "CSV: the second row of a two-row parcel makes the parcel an error record",
            input: "parcel_id,description\nP1,耐克\nP1,棉<A1><FF>袜\nP2,鞋\n",
            expected: ["P1! m:3:5 line 3, column 5: invalid GB18030 byte sequence 0xA1 0xFF", "P2 items=1 @4"]),
        InvalidCase(
            name: "CSV: in an HS code, the encoding is named rather than the bad value",
            input: "parcel_id,description,hs_code\nP1,耐克,64<80>411\nP2,鞋,640411\n",
            expected: ["P1! m:2:9 line 2, column 9: invalid GB18030 byte sequence 0x80", "P2 items=1 @3"]),
        InvalidCase(
            name: "CSV: in a parcel id, shown as U+FFFD",
            input: "parcel_id,description\nP<FF>1,耐克\nP2,鞋\n",
            expected: ["P\u{FFFD}1! m:2:2 line 2, column 2: invalid GB18030 byte sequence 0xFF", "P2 items=1 @3"]),
        InvalidCase(
            name: "CSV: in a column the contract does not read, harmless",
            input: "parcel_id,description,note\nP1,耐克,<FF><FF>\nP2,鞋,x\n",
            expected: ["P1 items=1 @2", "P2 items=1 @3"]),
        InvalidCase(
            name: "CSV: a sequence cut off by the end of input",
            input: "parcel_id,description\nP1,耐克\nP2,鞋<C4>",
            expected: ["P1 items=1 @2", "P2! m:3:5 line 3, column 5: invalid GB18030 byte sequence 0xC4"]),
        InvalidCase(
            name: "JSON Lines: inside a string, and before an object",
            input: #"{"parcel_id": "J1", "items": [{"description": "耐克<FF>"}]}"# + "\n<80>"
                + #"{"parcel_id": "J2", "items": [{"description": "鞋"}]}"# + "\n"
                + #"{"parcel_id": "J3", "items": [{"description": "鞋"}]}"# + "\n",
            expected: ["J1! m:1:50 line 1, column 50: invalid GB18030 byte sequence 0xFF",
                       "-! m:2:1 line 2, column 1: invalid GB18030 byte sequence 0x80", "J3 items=1 @3"]),
        InvalidCase(
            name: "XML: in an item's text, with the next parcel read",
            input: "<manifest>\n<parcel id=\"X1\"><item>耐<FF>克</item></parcel>\n"
                + "<parcel id=\"X2\"><item>鞋</item></parcel>\n</manifest>\n",
            expected: ["X1! m:2:24 line 2, column 24: invalid GB18030 byte sequence 0xFF", "X2 items=1 @3"]),
        InvalidCase(
            name: "XML: in an attribute",
            input: "<manifest>\n<parcel id=\"X1\" consignor=\"运<80>动\"><item>耐克</item></parcel>\n"
                + "<parcel id=\"X2\"><item>鞋</item></parcel>\n</manifest>\n",
            expected: ["X1! m:2:29 line 2, column 29: invalid GB18030 byte sequence 0x80", "X2 items=1 @3"]),
    ]

    @Test("An undecodable sequence makes its record an error record; every other record comes through",
          arguments: invalidCases)
    func undecodableSequences(_ testCase: InvalidCase) {
        let bytes = gb(testCase.input)
        func summaries(_ records: [ManifestRecord]) -> [String] {
            records.map { record in
                if case .error(let error) = record { return "\(error.parcel ?? "-")! \(error.location) \(error)" }
                return recordSummary(record)
            }
        }
        #expect(summaries(records(bytes)) == testCase.expected)
        #expect(summaries(records(gzip(bytes))) == testCase.expected, "gzip")
        let byteByByte = ManifestSource(file: "m", chunks: chunks(of: bytes, size: 1), options: gb18030)
        #expect(summaries(Array(byteByByte)) == testCase.expected, "byte by byte")
    }

    // MARK: Files, large inputs and progress

    @Test("A large GB18030 file streams through 64 KiB chunks like its UTF-8 twin; progress counts its raw bytes",
          arguments: [false, true])
    func largeFile(gzipped: Bool) throws {
        var text = "parcel_id,description,hs_code,consignor\n"
        for n in 0..<6_000 {
            text += "P\(n),正品耐克运动鞋 \(n) 😀 ÿ,640411,\"运动, \(n)\"\nP\(n),香奈儿手包 €,420221,\"运动, \(n)\"\n"
        }
        let plain = gb(text)
        let bytes = gzipped ? gzip(plain) : plain
        #expect(plain.count > 4 * 64 * 1024)
        let path = NSTemporaryDirectory() + "markgate-gb18030-\(UUID().uuidString).csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let source = try ManifestSource(path: path, options: gb18030)
        #expect(source.totalBytes == bytes.count)
        #expect(source.isGzip == gzipped)
        let read = Array(source)
        #expect(read == records(utf8(text), options: ManifestOptions(), file: path))
        #expect(read.count == 6_000)
        #expect(source.bytesRead == bytes.count)
        #expect(source.progress.fractionDone == 1)
    }

    @Test("Progress: a byte array's size is known, a chunk function's is not; bytes are counted as read")
    func progress() {
        let bytes = gb("parcel_id,description\nP1,耐克\nP2,鞋\n")
        var source = ManifestSource(bytes: bytes, file: "m", options: gb18030)
        #expect(source.totalBytes == bytes.count)
        _ = source.next()
        #expect(source.bytesRead == bytes.count)
        #expect(source.progress.fractionDone == 1)

        var stream = ManifestSource(file: "m", chunks: chunks(of: bytes, size: 4), options: gb18030)
        #expect(stream.totalBytes == nil)
        #expect(stream.progress.fractionDone == nil)
        let early = stream.bytesRead
        #expect(early > 0 && early < bytes.count)
        while stream.next() != nil {}
        #expect(stream.bytesRead == bytes.count)
    }
}
