import CZlib
import Foundation
import MarkgateCore
import MarkgateIO
import Testing

// MARK: - Helpers

/// Compresses with zlib's `deflate`: one gzip member (window bits 15 + 16), or a zlib stream (15). Level 0 stores
/// the text as it is behind a 10-byte gzip header and a 5-byte block header, so text byte `k` is compressed
/// byte `15 + k` (for texts under 64 KiB) and a cut falls at a known place in the text.
private func deflated(_ input: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION, windowBits: Int32 = 15 + 16) -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
    let status = deflateInit2_(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                               Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    var source = input
    var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(input.count))) + 64)
    let written = source.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inBuffer.count)
            stream.pointee.next_out = outBuffer.baseAddress
            stream.pointee.avail_out = UInt32(outBuffer.count)
            let status = deflate(stream, Z_FINISH)
            precondition(status == Z_STREAM_END, "deflate failed: \(status)")
            return outBuffer.count - Int(stream.pointee.avail_out)
        }
    }
    output.removeSubrange(written...)
    return output
}

private func gzip(_ text: String, level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8] {
    deflated(testBytes(text), level: level)
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

private func temporaryFile(_ name: String, _ contents: [UInt8]) throws -> String {
    let folder = NSTemporaryDirectory() + "markgate-source-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try Data(contents).write(to: URL(fileURLWithPath: path))
    return path
}

private func removeTemporaryFile(_ path: String) {
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
}

private func jsonLine(_ id: String) -> String {
    #"{"parcel_id": "\#(id)", "items": [{"description": "cap", "hs_code": "650500"}]}"#
}

/// A CSV manifest of `count` parcels (two rows each, quoted fields, multi-byte text, and line breaks inside
/// quotes unless `quotedLineBreaks` is false): several 64 KiB chunks long.
private func largeCSV(parcels count: Int, quotedLineBreaks: Bool = true) -> String {
    var text = "parcel_id,line_no,description,hs_code,quantity,unit_price,currency,origin,consignor,consignee\n"
    let separator = quotedLineBreaks ? "\n" : " "
    for n in 0..<(2 * count) {
        text += "P\(n / 2),,\"运动鞋 \(n),\(separator)NIKE \"\"Air\"\"\",640411,\(n % 7 + 1),\(n).5,usd,CN,\"Seller, \(n / 2)\",b\(n)\r\n"
    }
    return text
}

private func largeJSONLines(parcels count: Int) -> String {
    var text = ""
    for n in 0..<count {
        text += #"{"parcel_id": "P\#(n)", "consignor": "Seller \#(n)", "items": [{"description": "运动鞋 \#(n) NIKE \"Air\"", "hs_code": "640411", "quantity": \#(n % 7 + 1), "unit_price": \#(n).5}]}"# + "\n"
    }
    return text
}

// MARK: - Format sniffing

struct SniffCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var format: ManifestFormat

    var testDescription: String { name }
}

private let sniffCases: [SniffCase] = [
    SniffCase(name: "CSV", input: "parcel_id,description\nP1,shoes\n", format: .csv),
    SniffCase(name: "CSV with a byte-order mark", input: "<EF><BB><BF>parcel_id,description\nP1,shoes\n", format: .csv),
    SniffCase(name: "CSV with a quoted header", input: "\"parcel_id\",\"description\"\nP1,shoes\n", format: .csv),
    SniffCase(name: "CSV after blank lines", input: "\n\r\nparcel_id,description\nP1,shoes\n", format: .csv),
    SniffCase(name: "JSON Lines", input: jsonLine("P1") + "\n" + jsonLine("P2") + "\n", format: .jsonLines),
    SniffCase(name: "JSON Lines after a byte-order mark and blank lines",
              input: "<EF><BB><BF>\n \t\r\n  " + jsonLine("P1") + "\n", format: .jsonLines),
    SniffCase(name: "XML with a declaration", input: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest/>\n",
              format: .xml),
    SniffCase(name: "XML root after a byte-order mark and white space",
              input: "<EF><BB><BF>\n  <CEB621Message xmlns=\"http://www.chinaport.gov.cn/ceb\"></CEB621Message>\n",
              format: .xml),
    SniffCase(name: "XML after 10,000 bytes of white space (more than one piece of a chunk)",
              input: String(repeating: " \n", count: 5_000) + "<manifest/>\n", format: .xml),
    SniffCase(name: "JSON Lines after 4,095 spaces (the first piece's last byte is white space)",
              input: String(repeating: " ", count: 4_095) + jsonLine("P1") + "\n", format: .jsonLines),
    SniffCase(name: "empty input is CSV", input: "", format: .csv),
    SniffCase(name: "white space only is CSV", input: " \n\t\r\n", format: .csv),
    SniffCase(name: "a lone byte-order mark is CSV", input: "<EF><BB><BF>", format: .csv),
]

@Suite("Manifest source")
struct ManifestSourceTests {
    @Test("the format is sniffed from the content, plain or gzip-compressed, in any chunking", arguments: sniffCases)
    func sniffing(_ testCase: SniffCase) {
        let plain = testBytes(testCase.input)
        let compressed = deflated(plain)
        for (input, isGzip) in [(plain, false), (compressed, true)] {
            for size in [1, 2, 64 * 1024] {
                let source = ManifestSource(file: "m", chunks: chunks(of: input, size: size))
                #expect(source.format == testCase.format, "gzip \(isGzip), chunks of \(size)")
                #expect(source.isGzip == isGzip)
                let records = Array(source)
                switch testCase.format {
                case .csv:
                    #expect(records == Array(CSVManifestReader(bytes: plain, file: "m")))
                case .jsonLines:
                    #expect(records == Array(JSONLinesManifestReader(bytes: plain, file: "m")))
                case .xml:
                    #expect(records == Array(XMLManifestReader(bytes: plain, file: "m")))
                }
            }
        }
        #expect(ManifestFormat.sniff(plain, isComplete: true) == testCase.format)
    }

    @Test("sniffing waits for more input while it has only white space or part of a byte-order mark")
    func sniffingPrefixes() {
        #expect(ManifestFormat.sniff([], isComplete: false) == nil)
        #expect(ManifestFormat.sniff(testBytes(" \n"), isComplete: false) == nil)
        #expect(ManifestFormat.sniff(testBytes("<EF><BB>"), isComplete: false) == nil)
        #expect(ManifestFormat.sniff(testBytes("<EF><BB>"), isComplete: true) == .csv)
        #expect(ManifestFormat.sniff(testBytes("<EF><BB><BF>{"), isComplete: false) == .jsonLines)
        #expect(ManifestFormat.sniff(testBytes(" <"), isComplete: false) == .xml)
        #expect(ManifestFormat.sniff(testBytes("{"), isComplete: false) == nil)   // one byte: UTF-16 or not?
        #expect(ManifestFormat.sniff(testBytes("{"), isComplete: true) == .jsonLines)
        #expect(ManifestFormat.sniff(testBytes("p"), isComplete: true) == .csv)
    }

    @Test("XML in UTF-16 is sniffed as XML, with or without a byte-order mark, either byte order")
    func sniffingUTF16() {
        let text = " \n<manifest><parcel id=\"P1\"><item>shoes</item></parcel></manifest>\n"
        let littleEndian = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for input in [[0xFF, 0xFE] + littleEndian, [0xFE, 0xFF] + bigEndian, Array(littleEndian.dropFirst(4)),
                      Array(bigEndian.dropFirst(4))] {
            #expect(ManifestFormat.sniff(input, isComplete: true) == .xml)
            #expect(ManifestSource(bytes: input, file: "m.xml").format == .xml)
        }
        // UTF-16 JSON Lines or CSV are not supported: they are sniffed and then fail as UTF-8 would.
        #expect(ManifestFormat.sniff([0xFF, 0xFE, 0x7B, 0x00], isComplete: true) == .jsonLines)
        #expect(ManifestFormat.sniff([0xFF, 0xFE, 0x70, 0x00], isComplete: true) == .csv)
    }

    @Test("the file name plays no part")
    func fileNameIgnored() throws {
        let csvNamedJSON = try temporaryFile("parcels.jsonl", testBytes("parcel_id,description\nP1,shoes\n"))
        defer { removeTemporaryFile(csvNamedJSON) }
        let jsonNamedGzip = try temporaryFile("parcels.csv.gz", testBytes(jsonLine("P1") + "\n"))
        defer { removeTemporaryFile(jsonNamedGzip) }
        let gzipNamedXML = try temporaryFile("parcels.xml", gzip(jsonLine("P1") + "\n"))
        defer { removeTemporaryFile(gzipNamedXML) }

        let first = try ManifestSource(path: csvNamedJSON)
        #expect(first.format == .csv && !first.isGzip)
        #expect(Array(first).map(recordSummary) == ["P1 items=1 @2"])
        let second = try ManifestSource(path: jsonNamedGzip)
        #expect(second.format == .jsonLines && !second.isGzip)
        #expect(Array(second).map(recordSummary) == ["P1 items=1 @1"])
        let third = try ManifestSource(path: gzipNamedXML)
        #expect(third.format == .jsonLines && third.isGzip)
        #expect(third.file == gzipNamedXML)
        #expect(Array(third).map(recordSummary) == ["P1 items=1 @1"])
    }

    @Test("'-' reads standard input (here gzip, one member per write) and yields each record as soon as it arrives")
    func standardInput() throws {
        // Standard input becomes a pipe for the duration (no other test reads it).
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let saved = dup(0)
        dup2(ends[0], 0)
        close(ends[0])
        defer {
            dup2(saved, 0)
            close(saved)
        }
        let writer = ends[1]
        let first = gzip(jsonLine("S1") + "\n")
        let rest = gzip(jsonLine("S2") + "\n" + jsonLine("S3") + "\n")
        first.withUnsafeBytes { _ = write(writer, $0.baseAddress, $0.count) }
        let start = ContinuousClock.now
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.5)
            rest.withUnsafeBytes { _ = write(writer, $0.baseAddress, $0.count) }
            close(writer)
        }

        var source = try ManifestSource(path: "-")
        #expect(source.file == ManifestSource.standardInputName)
        #expect(source.format == .jsonLines && source.isGzip)
        let head = source.next()
        let waited = ContinuousClock.now - start
        #expect(head.map(recordSummary) == "S1 items=1 @1")
        #expect(waited < .milliseconds(400), "the first record waited \(waited) for later input")
        #expect(Array(source).map(recordSummary) == ["S2 items=1 @2", "S3 items=1 @3"])
        #expect(source.file == "<stdin>")
    }

    @Test("a file that cannot be opened throws")
    func unopenable() {
        #expect(throws: ManifestOpenError.self) { try ManifestSource(path: "/nonexistent/markgate/parcels.csv") }
        #expect(throws: ManifestOpenError.self) { try ManifestSource(path: NSTemporaryDirectory()) }
    }

    // MARK: Gzip

    @Test("gzip-compressed CSV and JSON Lines read exactly as their plain forms",
          arguments: [(ManifestFormat.csv, Z_DEFAULT_COMPRESSION), (.csv, 0), (.csv, 9),
                      (.jsonLines, Z_DEFAULT_COMPRESSION), (.jsonLines, 0), (.jsonLines, 9)])
    func gzipMatchesPlain(_ format: ManifestFormat, _ level: Int32) throws {
        let text = format == .csv ? largeCSV(parcels: 1500) : largeJSONLines(parcels: 2000)
        let plain = Array(text.utf8)
        let compressed = deflated(plain, level: level)
        let expected = format == .csv ? Array(CSVManifestReader(bytes: plain, file: "m.gz"))
                                      : Array(JSONLinesManifestReader(bytes: plain, file: "m.gz"))
        #expect(expected.count == (format == .csv ? 1500 : 2000))
        #expect(expected.allSatisfy { if case .parcel = $0 { true } else { false } })

        let fromBytes = ManifestSource(bytes: compressed, file: "m.gz")
        #expect(fromBytes.format == format && fromBytes.isGzip)
        #expect(Array(fromBytes) == expected)
        #expect(Array(ManifestSource(file: "m.gz", chunks: chunks(of: compressed, size: 7))) == expected)

        let path = try temporaryFile("m.gz", compressed)
        defer { removeTemporaryFile(path) }
        let fromFile = Array(try ManifestSource(path: path))
        let expectedFromFile = format == .csv ? Array(CSVManifestReader(bytes: plain, file: path))
                                              : Array(JSONLinesManifestReader(bytes: plain, file: path))
        #expect(fromFile == expectedFromFile)
    }

    @Test("multi-member gzip files (cut mid-line) and zero padding read as one stream")
    func multiMember() {
        for format in [ManifestFormat.csv, .jsonLines] {
            let plain = Array((format == .csv ? largeCSV(parcels: 300) : largeJSONLines(parcels: 400)).utf8)
            let expected = format == .csv ? Array(CSVManifestReader(bytes: plain, file: "m"))
                                          : Array(JSONLinesManifestReader(bytes: plain, file: "m"))
            let cuts = [0, 1, plain.count / 3 + 5, plain.count / 2 + 11, plain.count]
            var members: [UInt8] = []
            for (from, to) in zip(cuts, cuts.dropFirst()) { members += deflated(Array(plain[from..<to])) }
            #expect(Array(ManifestSource(bytes: members, file: "m")) == expected, "\(format) members")
            #expect(Array(ManifestSource(file: "m", chunks: chunks(of: members, size: 3))) == expected)
            let padded = deflated(plain) + [UInt8](repeating: 0, count: 1000)
            #expect(Array(ManifestSource(bytes: padded, file: "m")) == expected, "\(format) padded")
        }
    }

    // A small manifest, stored uncompressed (level 0) so a cut in the compressed bytes lands at a known text offset.
    private static let csvText = """
        parcel_id,description,hs_code
        P1,shoes,640411
        P2,bag,420221
        P2,belt,420330
        P3,cap,650500

        """
    private static let jsonText = [jsonLine("P1"), jsonLine("P2"), jsonLine("P3")].joined(separator: "\n") + "\n"

    /// The records of `text` gzip-compressed (stored) and cut after its first `keep` text bytes.
    private static func truncated(_ text: String, keeping keep: Int) -> [String] {
        let compressed = deflated(Array(text.utf8), level: 0)
        let cut = Array(compressed[0..<(15 + keep)])
        let records = Array(ManifestSource(bytes: cut, file: "m.gz")).map(recordSummary)
        #expect(Array(ManifestSource(file: "m.gz", chunks: chunks(of: cut, size: 1))).map(recordSummary) == records)
        return records
    }

    private static func offset(of prefix: String) -> Int { prefix.utf8.count }

    @Test("a truncated gzip CSV: the complete parcels before the cut, then one error record for the parcel cut")
    func truncatedCSV() throws {
        let text = Self.csvText
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        let upToLine4 = lines[0..<3].joined()
        let upToLine5 = lines[0..<4].joined()
        // Cut inside one of P2's rows: P2 may have lost items, so it is the error record.
        #expect(Self.truncated(text, keeping: Self.offset(of: upToLine4 + "P2,be"))
                == ["P1 items=1 @2", "P2! line 4, column 6: truncated gzip stream"])
        // Cut right after a row: whether P2 had more rows is unknown, so it is the error record as well.
        #expect(Self.truncated(text, keeping: Self.offset(of: upToLine4))
                == ["P1 items=1 @2", "P2! line 4, column 1: truncated gzip stream"])
        // Cut inside P3's row: P2 is complete.
        #expect(Self.truncated(text, keeping: Self.offset(of: upToLine5 + "P3,c"))
                == ["P1 items=1 @2", "P2 items=2 @3", "P3! line 5, column 5: truncated gzip stream"])
        // Cut inside the header: nothing can be read.
        #expect(Self.truncated(text, keeping: 9) == ["-! line 1, column 10: truncated gzip stream"])
        // Cut in the gzip trailer: every row is there, but the checksum is not, so the last parcel is in doubt.
        let compressed = deflated(Array(text.utf8), level: 0)
        let withoutTrailer = Array(compressed.dropLast(4))
        #expect(Array(ManifestSource(bytes: withoutTrailer, file: "m.gz")).map(recordSummary)
                == ["P1 items=1 @2", "P2 items=2 @3", "P3! line 6, column 1: truncated gzip stream"])
    }

    @Test("a truncated gzip JSON Lines stream: every complete line, then one error record where it breaks off")
    func truncatedJSONLines() throws {
        let text = Self.jsonText
        let twoLines = jsonLine("P1") + "\n" + jsonLine("P2") + "\n"
        #expect(Self.truncated(text, keeping: Self.offset(of: twoLines + #"{"parcel_id": "P3""#))
                == ["P1 items=1 @1", "P2 items=1 @2", "P3! line 3, column 19: truncated gzip stream"])
        #expect(Self.truncated(text, keeping: Self.offset(of: twoLines + #"{"parcel_id": "P"#))
                == ["P1 items=1 @1", "P2 items=1 @2", "-! line 3, column 17: truncated gzip stream"])
        #expect(Self.truncated(text, keeping: Self.offset(of: twoLines))
                == ["P1 items=1 @1", "P2 items=1 @2", "-! line 3, column 1: truncated gzip stream"])
        // Cut just before the last line break: the last line is complete JSON, so its parcel comes through.
        let endOfLine3 = jsonLine("P3").count + 1
        #expect(Self.truncated(text, keeping: text.utf8.count - 1)
                == ["P1 items=1 @1", "P2 items=1 @2", "P3 items=1 @3", "-! line 3, column \(endOfLine3): truncated gzip stream"])
        let compressed = deflated(Array(text.utf8), level: 0)
        #expect(Array(ManifestSource(bytes: Array(compressed.dropLast(4)), file: "m.gz")).map(recordSummary)
                == ["P1 items=1 @1", "P2 items=1 @2", "P3 items=1 @3", "-! line 4, column 1: truncated gzip stream"])
    }

    @Test("a truncated gzip XML manifest: the complete parcels before the cut, then one error record")
    func truncatedXML() {
        let head = "<manifest>\n  <parcel id=\"X1\"><item hs=\"640411\">shoes</item></parcel>\n"
            + "  <parcel id=\"X2\"><item hs=\"420221\">bag</item></parcel>\n"
        let text = head + "  <parcel id=\"X3\"><item hs=\"650500\">cap</item></parcel>\n</manifest>\n"
        #expect(Array(ManifestSource(bytes: gzip(text), file: "m.gz")).map(recordSummary)
                == ["X1 items=1 @2", "X2 items=1 @3", "X3 items=1 @4"])
        // Cut inside X3, after its start tag.
        #expect(Self.truncated(text, keeping: Self.offset(of: head + "  <parcel id=\"X3\"><item hs"))
                == ["X1 items=1 @2", "X2 items=1 @3", "X3! line 4, column 27: truncated gzip stream"])
        // Cut between parcels.
        #expect(Self.truncated(text, keeping: Self.offset(of: head))
                == ["X1 items=1 @2", "X2 items=1 @3", "-! line 4, column 1: truncated gzip stream"])
    }

    // (A cut inside a CSV field holding line breaks makes the CSV reader re-read the field's later lines as rows,
    // as it does for a plain file cut there; so this uses CSV without them.)
    @Test("a compressed stream cut anywhere gives a prefix of the records and then one error record")
    func truncatedAnywhere() {
        for format in [ManifestFormat.csv, .jsonLines] {
            let text = format == .csv ? largeCSV(parcels: 500, quotedLineBreaks: false) : largeJSONLines(parcels: 700)
            let plain = Array(text.utf8)
            let full = Array(ManifestSource(bytes: deflated(plain, level: 9), file: "m"))
            let compressed = deflated(plain, level: 9)
            for fraction in [0.1, 0.37, 0.5, 0.93] {
                let cut = Array(compressed[0..<Int(Double(compressed.count) * fraction)])
                let records = Array(ManifestSource(bytes: cut, file: "m"))
                guard case .error(let error)? = records.last else {
                    Issue.record("\(format) cut at \(fraction): no error record at the end")
                    continue
                }
                #expect(error.message == "truncated gzip stream")
                #expect(records.count >= 2)
                #expect(Array(records.dropLast()) == Array(full.prefix(records.count - 1)), "\(format) \(fraction)")
                // The error record stands for the parcel the cut fell in, by its id.
                if records.count <= full.count, case .parcel(let parcel, _) = full[records.count - 1] {
                    #expect(error.parcel == parcel.id || error.parcel == nil || parcel.id.hasPrefix(error.parcel!))
                }
            }
        }
    }

    @Test("a corrupt gzip stream ends with one error record saying what zlib found")
    func corrupt() {
        let plain = Array(largeJSONLines(parcels: 700).utf8)
        var compressed = deflated(plain, level: 9)
        compressed[compressed.count / 2] ^= 0xFF
        let records = Array(ManifestSource(bytes: compressed, file: "m"))
        guard case .error(let error)? = records.last else {
            Issue.record("no error record at the end: \(records.suffix(2))")
            return
        }
        #expect(error.message.hasPrefix("corrupt gzip stream: "), "\(error.message)")
        #expect(records.filter { if case .error(let e) = $0 { e.message.hasPrefix("corrupt gzip") } else { false } }.count == 1)

        // A bad header (compression method 9): nothing is decoded.
        let badHeader: [UInt8] = [0x1F, 0x8B, 0x09, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]
        #expect(Array(ManifestSource(bytes: badHeader, file: "m")).map(recordSummary)
                == ["-! line 1, column 1: corrupt gzip stream: unknown compression method"])
    }

    @Test("data after the gzip stream: every record, then an error record")
    func trailingData() {
        let jsonl = gzip(Self.jsonText) + Array("junk".utf8)
        #expect(Array(ManifestSource(bytes: jsonl, file: "m")).map(recordSummary)
                == ["P1 items=1 @1", "P2 items=1 @2", "P3 items=1 @3",
                    "-! line 4, column 1: unexpected data after the end of the gzip stream"])
        let csv = gzip(Self.csvText) + [0, 0, 7]
        #expect(Array(ManifestSource(bytes: csv, file: "m")).map(recordSummary)
                == ["P1 items=1 @2", "P2 items=2 @3", "P3 items=1 @5",
                    "-! line 6, column 1: unexpected data after the end of the gzip stream"])
    }

    @Test("GzipChunks: byte-at-a-time input, zlib streams, binary data, empty and cut input")
    func gzipChunks() throws {
        var generator = SystemRandomNumberGenerator()
        let binary = (0..<200_000).map { n in n % 3 == 0 ? UInt8(0) : UInt8.random(in: 0...15, using: &generator) }
        for compressed in [deflated(binary), deflated(binary, windowBits: 15)] {
            #expect(try GzipChunks.decompress(compressed) == binary)
            let gzip = GzipChunks(chunks: chunks(of: compressed, size: 1))
            var out: [UInt8] = []
            while let chunk = gzip.next() {
                #expect(chunk.count <= 64 * 1024)
                out += chunk
            }
            #expect(out == binary)
            #expect(gzip.error == nil)
            #expect(gzip.members == 1)
            #expect(gzip.decodedBytes == binary.count)
        }
        #expect(throws: GzipError(kind: .truncated, message: "truncated gzip stream", decodedBytes: 0)) {
            try GzipChunks.decompress([])
        }
        let compressed = deflated(binary)
        let gzip = GzipChunks(chunks: chunks(of: Array(compressed.prefix(compressed.count / 2)), size: 4096))
        var decoded: [UInt8] = []
        while let chunk = gzip.next() { decoded += chunk }
        #expect(gzip.error?.kind == .truncated)
        #expect(gzip.error?.decodedBytes == decoded.count)
        #expect(!decoded.isEmpty && Array(binary.prefix(decoded.count)) == decoded)
        #expect(GzipChunks.hasMagic(compressed) && !GzipChunks.hasMagic(binary))
    }

    // MARK: Development set

    @Test("the development set, gzip-compressed, reads through ManifestSource: 3,000 parcels, no error")
    func devset() throws {
        // Tests/MarkgateIOTests/<this file> → repository root → its parent holds shared/.
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let devset = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/devset")
        let csvPath = devset.appendingPathComponent("parcels.csv").path
        guard let plain = FileManager.default.contents(atPath: csvPath) else {
            Issue.record("development set missing at \(csvPath)")
            return
        }
        let path = try temporaryFile("parcels.csv.gz", deflated(Array(plain), level: 9))
        defer { removeTemporaryFile(path) }

        let source = try ManifestSource(path: path)
        #expect(source.format == .csv && source.isGzip)
        var parcels: [Parcel] = [], errors: [String] = []
        for record in source {
            switch record {
            case .parcel(let parcel, _): parcels.append(parcel)
            case .error(let error): errors.append("\(error.location): \(error.message)")
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(5))")
        #expect(parcels.count == 3000)
        #expect(parcels.reduce(0) { $0 + $1.items.count } == 4806)
        let direct = try CSVManifestReader(path: csvPath).compactMap { record -> Parcel? in
            if case .parcel(let parcel, _) = record { parcel } else { nil }
        }
        #expect(parcels == direct)

    }

    @Test("the development set's CEB621 XML, gzip-compressed, reads as the XML reader reads it plain")
    func devsetXML() throws {
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let xmlPath = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/devset/parcels-ceb621.xml").path
        guard let plain = FileManager.default.contents(atPath: xmlPath) else {
            Issue.record("development set missing at \(xmlPath)")
            return
        }
        let path = try temporaryFile("inventory.gz", deflated(Array(plain), level: 6))
        defer { removeTemporaryFile(path) }
        let source = try ManifestSource(path: path)
        #expect(source.format == .xml && source.isGzip)
        let records = Array(source)
        let direct = Array(XMLManifestReader(bytes: Array(plain), file: path))
        #expect(records.count == direct.count)
        #expect(records == direct)
        #expect(records.count >= 3000)
    }
}
