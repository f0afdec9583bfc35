import MarkgateCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Transcodes a GB18030 byte stream to UTF-8, chunk by chunk, in constant memory (`--encoding gb18030`).
///
/// - The conversion is the C library's iconv (`iconv_open("UTF-8", "GB18030")`; glibc implements GB18030-2005,
///   four-byte sequences and the supplementary planes included). It was chosen over a decoder of our own, which
///   would need GB18030's 23,940-code two-byte table and its four-byte ranges as generated data; glibc ships the
///   converter in its `gconv` modules, and `isAvailable` says whether this system has it.
/// - Each chunk of the source is converted as it comes; a multi-byte sequence cut by a chunk boundary is held back
///   (at most 3 bytes) and completed with the next chunk. Output chunks hold what one input chunk gave.
/// - Bytes that cannot be decoded never stop the stream. Each run of them (0x80, 0xFF, a lead byte without a valid
///   trail, an unmapped four-byte code, a sequence cut off by the end of input) becomes one U+FDD0, a Unicode
///   noncharacter, and is logged in `invalidSequences` with its position in the decoded text (line by LF, column
///   in Unicode scalars, a byte-order mark at the very start not counted, as the manifest readers count) and its
///   bytes. `GB18030RecordCheck` then turns the record that holds the U+FDD0 into an error record saying
///   `invalid GB18030 byte sequence`. (A U+FDD0 encoded in the input itself reads the same way when the input
///   also has undecodable bytes; noncharacters have no place in a manifest.)
/// - When iconv has no GB18030 converter, `openError` says so and the stream is empty.
final class GB18030Decoder {
    /// Stands for a run of undecodable bytes in the decoded text.
    static let replacement = Unicode.Scalar(0xFDD0 as UInt32)!   // a literal may not name a noncharacter
    /// `replacement` in UTF-8.
    static let replacementBytes: [UInt8] = [0xEF, 0xB7, 0x90]

    /// Whether iconv can convert GB18030 to UTF-8 on this system.
    static var isAvailable: Bool {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != invalidConverter else { return false }
        iconv_close(converter)
        return true
    }

    /// What `iconv_open` returns when it fails: `(iconv_t) -1`.
    private static var invalidConverter: iconv_t? { iconv_t(bitPattern: -1) }

    /// Why decoding could not start (no GB18030 converter), or nil.
    let openError: String?
    /// The undecodable runs met so far whose records have not been read yet.
    let invalidSequences = GB18030InvalidSequences()

    private let source: () -> [UInt8]?
    private let converter: iconv_t?
    private var pending: [UInt8] = []
    private var finished = false
    private var inInvalidRun = false
    private var line = 1
    private var column = 1
    private var atStart = true

    /// Decodes the stream `chunks` produces (nil at its end; not called again after that).
    init(chunks: @escaping () -> [UInt8]?) {
        source = chunks
        let converter = iconv_open("UTF-8", "GB18030")
        if converter == Self.invalidConverter {
            self.converter = nil
            openError = "cannot decode GB18030: the C library's iconv has no GB18030 converter "
                + "(\(String(cString: strerror(errno))))"
            finished = true
        } else {
            self.converter = converter
            openError = nil
        }
    }

    deinit {
        if let converter { iconv_close(converter) }
    }

    /// The next chunk of UTF-8, or nil at the end (and ever after).
    func next() -> [UInt8]? {
        while !finished {
            guard let chunk = source() else {
                finished = true
                guard !pending.isEmpty else { return nil }
                // The input ended inside a multi-byte sequence.
                var output: [UInt8] = []
                invalid(pending, output: &output)
                pending = []
                return output
            }
            if chunk.isEmpty { continue }
            let output = convert(pending.isEmpty ? chunk : pending + chunk)
            if !output.isEmpty { return output }
        }
        return nil
    }

    /// Converts `input`, keeping an incomplete sequence at its end in `pending`.
    private func convert(_ input: [UInt8]) -> [UInt8] {
        pending = []
        // UTF-8 takes at most 3 bytes for a 2-byte sequence and 4 for a 4-byte one, so twice the input nearly always
        // suffices; the buffer grows when it does not (E2BIG, or little room left for a replacement).
        var output = [UInt8](repeating: 0, count: 2 * input.count + 8)
        var written = 0
        var counted = 0
        var consumed = 0
        while consumed < input.count {
            if output.count - written < 8 { output.append(contentsOf: repeatElement(0, count: output.count)) }
            let (read, produced, failure) = input.withUnsafeBufferPointer { inBytes in
                output.withUnsafeMutableBufferPointer { outBytes in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(
                        mutating: inBytes.baseAddress! + consumed).assumingMemoryBound(to: CChar.self)
                    var inLeft = inBytes.count - consumed
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(
                        outBytes.baseAddress! + written).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBytes.count - written
                    let before = (inLeft, outLeft)
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (before.0 - inLeft, before.1 - outLeft, result == -1 ? errno : 0)
                }
            }
            consumed += read
            written += produced
            if produced > 0 { inInvalidRun = false }
            switch failure {
            case 0:
                break
            case E2BIG:
                output.append(contentsOf: repeatElement(0, count: output.count))
            case EINVAL:
                // An incomplete sequence at the end: wait for the next chunk.
                pending = Array(input[consumed...])
                consumed = input.count
            default:
                // EILSEQ: one byte that starts no valid sequence; skip it and go on after it.
                advance(over: output[counted..<written])
                counted = written
                if output.count - written < 8 { output.append(contentsOf: repeatElement(0, count: output.count)) }
                var replacement: [UInt8] = []
                invalid([input[consumed]], output: &replacement)
                output.replaceSubrange(written..<(written + replacement.count), with: replacement)
                written += replacement.count
                counted = written
                consumed += 1
            }
        }
        advance(over: output[counted..<written])
        output.removeSubrange(written...)
        return output
    }

    /// Appends the replacement for undecodable `bytes` to `output` (or extends the run it continues) and logs it.
    private func invalid(_ bytes: [UInt8], output: inout [UInt8]) {
        if inInvalidRun {
            invalidSequences.extendLast(with: bytes)
            return
        }
        inInvalidRun = true
        atStart = false
        invalidSequences.append(line: line, column: column, bytes: bytes)
        output.append(contentsOf: Self.replacementBytes)
        column += 1
    }

    /// Moves the position over decoded UTF-8.
    private func advance(over bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        var bytes = bytes
        if atStart {
            atStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }   // a byte-order mark
        }
        for byte in bytes {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
    }
}

/// The runs of undecodable bytes a `GB18030Decoder` has met, in input order, until the records they fall in have
/// been read. Holds at most `limit` runs (later ones are counted, not kept), so memory stays flat.
final class GB18030InvalidSequences {
    struct Run {
        var line: Int
        var column: Int
        /// The run's first bytes (up to 4).
        var bytes: [UInt8]
        /// How many bytes the run has.
        var length: Int

        /// `invalid GB18030 byte sequence 0x81 0x20`.
        var message: String {
            let hex = bytes.map { byte in
                let digits = String(byte, radix: 16, uppercase: true)
                return "0x" + (digits.count < 2 ? "0" : "") + digits
            }
            let more = length > bytes.count ? " … (\(length) bytes)" : ""
            return "invalid GB18030 byte sequence " + hex.joined(separator: " ") + more
        }
    }

    static let limit = 4096

    /// Runs met since the start, kept or not.
    private(set) var total = 0
    private var runs: [Run] = []
    private var head = 0

    func append(line: Int, column: Int, bytes: [UInt8]) {
        total += 1
        guard runs.count - head < Self.limit else { return }
        runs.append(Run(line: line, column: column, bytes: Array(bytes.prefix(4)), length: bytes.count))
    }

    func extendLast(with bytes: [UInt8]) {
        guard head < runs.count else { return }
        runs[runs.count - 1].length += bytes.count
        let room = 4 - runs[runs.count - 1].bytes.count
        if room > 0 { runs[runs.count - 1].bytes.append(contentsOf: bytes.prefix(room)) }
    }

    /// Forgets the runs before `line`, `column` and returns the first one from there on, if any.
    func first(from line: Int, _ column: Int) -> Run? {
        while head < runs.count, (runs[head].line, runs[head].column) < (line, column) { head += 1 }
        if head > 1024 && head * 2 > runs.count {
            runs.removeSubrange(..<head)
            head = 0
        }
        return head < runs.count ? runs[head] : nil
    }
}

/// Makes the records that hold an undecodable GB18030 sequence (a U+FDD0 from `GB18030Decoder`) error records.
///
/// - A parcel with a U+FDD0 in any value it was read from (id, consignor, consignee, any item's values) becomes an
///   error record `invalid GB18030 byte sequence 0x…` located at the first undecodable run at or after the
///   parcel's start, with the parcel's id. Values the reader ignores (a CSV column outside the contract, an
///   unknown JSON key, an XML element not read) do not count.
/// - An error record that quotes a U+FDD0 in its message (e.g. a bad HS code), or that lies exactly where a run
///   starts (e.g. JSON broken by one), gets that message instead, at the run: the encoding is the first problem.
/// - Any other U+FDD0 left in an error record (its parcel id) is shown as U+FFFD.
///
/// Records must be checked in input order; runs before each record's position are forgotten.
struct GB18030RecordCheck {
    let runs: GB18030InvalidSequences

    func check(_ record: ManifestRecord) -> ManifestRecord {
        guard runs.total > 0 else { return record }
        switch record {
        case .parcel(let parcel, let source):
            let run = runs.first(from: source.line, source.column)
            guard parcel.holdsReplacement else { return record }
            return .error(RecordError(parcel: Self.shown(parcel.id), location: location(run, else: source),
                                      message: run?.message ?? "invalid GB18030 byte sequence"))
        case .error(var error):
            let run = runs.first(from: error.location.line, error.location.column)
            let atRun = run.map { $0.line == error.location.line && $0.column == error.location.column } ?? false
            if error.message.unicodeScalars.contains(GB18030Decoder.replacement) || atRun {
                error.location = location(run, else: error.location)
                error.message = run?.message ?? "invalid GB18030 byte sequence"
            }
            error.parcel = error.parcel.map(Self.shown)
            return .error(error)
        }
    }

    private func location(_ run: GB18030InvalidSequences.Run?, else fallback: SourceLocation) -> SourceLocation {
        guard let run else { return fallback }
        return SourceLocation(file: fallback.file, line: run.line, column: run.column)
    }

    /// `text` with each U+FDD0 shown as U+FFFD.
    private static func shown(_ text: String) -> String {
        guard text.unicodeScalars.contains(GB18030Decoder.replacement) else { return text }
        let scalars = text.unicodeScalars.map { $0 == GB18030Decoder.replacement ? "\u{FFFD}" : $0 }
        return String(String.UnicodeScalarView(scalars))
    }
}

extension Parcel {
    /// Whether any value holds the undecodable-run marker U+FDD0.
    fileprivate var holdsReplacement: Bool {
        func has(_ text: String?) -> Bool {
            guard let text else { return false }
            // U+FDD0 is EF B7 90 in UTF-8; look for its lead byte first.
            return text.utf8.contains(0xEF) && text.unicodeScalars.contains(GB18030Decoder.replacement)
        }
        return has(id) || has(consignor) || has(consignee) || items.contains { item in
            has(item.description) || has(item.hsCode) || has(item.currency) || has(item.origin)
        }
    }
}

// MARK: - XML declarations

extension GB18030Decoder {
    /// The decoded text of an XML manifest with its declaration's `encoding="…"` blanked out (replaced by as many
    /// spaces): the text is UTF-8 now, and libxml2 would otherwise decode it a second time as the declared
    /// encoding. Lengths and positions stay as they were. Reads ahead until the declaration has ended (at most 1 KiB
    /// or the end of input); a text without a declaration passes unchanged.
    static func blankingDeclaredEncoding(_ chunks: @escaping () -> [UInt8]?) -> () -> [UInt8]? {
        var head: [UInt8]?
        return {
            guard head == nil else { return chunks() }
            var text: [UInt8] = []
            while !text.contains(0x3E), text.count < 1024, let chunk = chunks() { text.append(contentsOf: chunk) }
            blankEncoding(in: &text)
            head = text
            return text.isEmpty ? chunks() : text
        }
    }

    /// Blanks `encoding="…"` in an XML declaration at the start of `text` (after an optional byte-order mark).
    static func blankEncoding(in text: inout [UInt8]) {
        let start = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard text[start...].starts(with: Array("<?xml".utf8)), start + 5 < text.count,
              [0x20, 0x09, 0x0D, 0x0A].contains(text[start + 5]),
              let end = text[start...].firstIndex(of: 0x3E) else { return }
        let declaration = Array(text[start..<end])
        guard let name = declaration.firstRange(of: Array("encoding".utf8)) else { return }
        var index = name.upperBound
        func skipSpaces() {
            while index < declaration.count, [0x20, 0x09, 0x0D, 0x0A].contains(declaration[index]) { index += 1 }
        }
        skipSpaces()
        guard index < declaration.count, declaration[index] == 0x3D else { return }   // =
        index += 1
        skipSpaces()
        guard index < declaration.count, declaration[index] == 0x22 || declaration[index] == 0x27 else { return }
        let quote = declaration[index]
        guard let close = declaration[(index + 1)...].firstIndex(of: quote) else { return }
        for position in name.lowerBound...close { text[start + position] = 0x20 }
    }
}
