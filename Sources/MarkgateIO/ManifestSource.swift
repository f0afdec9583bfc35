import Foundation
import MarkgateCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The formats of a parcel manifest (contract §2).
public enum ManifestFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case csv
    case jsonLines = "jsonl"
    case xml

    public var description: String { rawValue }

    /// The format the start of a (decompressed) manifest shows: its first character that is not white space
    /// (space, tab, CR, LF), after an optional byte-order mark — `<` is XML, `{` JSON Lines, anything else CSV.
    /// Text is UTF-8, or UTF-16 when it starts with a UTF-16 byte-order mark or with `<` in UTF-16 (an XML
    /// manifest may be UTF-16; the others are read as UTF-8 whatever this finds). Nil while `prefix` holds only
    /// white space or part of a byte-order mark and more may follow; at the end of input (`isComplete`), an empty
    /// or blank input is CSV.
    public static func sniff(_ prefix: some Collection<UInt8>, isComplete: Bool) -> ManifestFormat? {
        var sniffer = Sniffer()
        sniffer.feed(Array(prefix))
        return isComplete ? sniffer.finish() : sniffer.format
    }

    /// Reads the first bytes of a stream, chunk by chunk, until they show the format.
    struct Sniffer {
        private(set) var format: ManifestFormat?
        private var head: [UInt8] = []
        private var scanned = 0
        /// Bytes per code unit: 0 until the start has been seen, then 1 (UTF-8) or 2 (UTF-16).
        private var unitSize = 0
        private var bigEndian = false

        mutating func feed(_ chunk: [UInt8]) {
            // A piece at a time, as if the chunks were smaller: the format shows within the first bytes, and a
            // large chunk (a manifest held in memory is one) is not copied whole.
            var start = 0
            while format == nil && start < chunk.count {
                let end = min(chunk.count, start + 4096)
                head.append(contentsOf: chunk[start..<end])
                scan(atEnd: false)
                start = end
            }
        }

        /// The format, deciding with what has been fed when the input has ended.
        mutating func finish() -> ManifestFormat {
            if format == nil { scan(atEnd: true) }
            return format ?? .csv
        }

        private mutating func scan(atEnd: Bool) {
            if unitSize == 0 {
                // Wait for enough bytes to tell a byte-order mark or UTF-16 from UTF-8.
                if !atEnd && (head.count < 2 || (head.count < 3 && utf8BOM.starts(with: head))) { return }
                if head.starts(with: utf8BOM) {
                    unitSize = 1
                    scanned = 3
                } else if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
                    unitSize = 2
                    bigEndian = head[0] == 0xFE
                    scanned = 2
                } else if head.starts(with: [0x3C, 0x00]) || head.starts(with: [0x00, 0x3C]) {
                    unitSize = 2
                    bigEndian = head[0] == 0x00
                } else {
                    unitSize = 1
                }
            }
            while scanned + unitSize <= head.count {
                let unit = unitSize == 1 ? UInt16(head[scanned])
                    : bigEndian ? UInt16(head[scanned]) << 8 | UInt16(head[scanned + 1])
                    : UInt16(head[scanned + 1]) << 8 | UInt16(head[scanned])
                switch unit {
                case 0x20, 0x09, 0x0D, 0x0A:
                    scanned += unitSize
                case 0x3C:   // <
                    format = .xml
                    return
                case 0x7B:   // {
                    format = .jsonLines
                    return
                default:
                    format = .csv
                    return
                }
            }
        }
    }
}

private let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

/// A parcel manifest from a file, standard input or memory, in any of the contract's formats, gzip-compressed
/// or not, as one stream of `ManifestRecord`s in input order.
///
/// - Gzip is recognised by its magic bytes (1F 8B) and decompressed on the fly (`GzipChunks`, multi-member
///   files included). The format is then sniffed from the first character that is not white space, after an
///   optional byte-order mark: `<` XML (UTF-8 or UTF-16), `{` JSON Lines, anything else CSV
///   (`ManifestFormat.sniff`). The file name plays no part.
/// - With `ManifestOptions.encoding` GB18030, the decompressed stream is transcoded to UTF-8 (`GB18030Decoder`)
///   before the format is sniffed, for every format; an XML declaration's `encoding="…"` is then blanked out. An
///   undecodable byte sequence makes the record it falls in an error record (`invalid GB18030 byte sequence 0x…`,
///   `GB18030RecordCheck`) and costs nothing else. Positions count Unicode scalars of the decoded text.
/// - Records come from `CSVManifestReader` (with `ManifestOptions.columnMap`; JSON Lines and XML ignore it),
///   `JSONLinesManifestReader` or `XMLManifestReader`, reading the (decompressed) stream in 64 KiB chunks; source
///   locations name the path as given (`<stdin>` for `-`).
/// - `progress` counts the raw bytes read (compressed ones for gzip) against the size when it is known (a regular
///   file, or standard input redirected from one).
/// - An input that ends early — a truncated or corrupt gzip stream, a failed read — never throws: the complete
///   records before the break come through, then one error record whose message says why (`truncated gzip
///   stream`, `corrupt gzip stream: …`, `cannot read …`), located where the decompressed text breaks off. The
///   parcel the break fell in is that error record (it carries its id when one was read), never a parcel with
///   items missing: for JSON Lines the line the break fell in; for CSV and XML, whose parcels span rows or
///   elements, the record in progress — the last one the reader yields — so a gzip-compressed CSV or XML stream
///   is yielded one record behind its reader.
///
/// The source is both the sequence and its iterator; its copies share one stream.
public struct ManifestSource: Sequence, IteratorProtocol {
    public typealias Element = ManifestRecord

    /// The name source locations use for standard input (`path` "-").
    public static let standardInputName = "<stdin>"

    /// The name used in source locations: the path as given, or `<stdin>`.
    public let file: String
    /// The format sniffed from the content.
    public let format: ManifestFormat
    /// Whether the input is gzip-compressed.
    public let isGzip: Bool
    /// The encoding and column renames it reads with.
    public let options: ManifestOptions
    /// How much of the raw input has been read, and its size when known; shared by the source's copies.
    public let progress: InputProgress
    private let records: SourceRecords
    private let check: GB18030RecordCheck?

    /// Opens a manifest file, or standard input for `-`; throws only when a file cannot be opened (missing,
    /// unreadable, a folder). Reads as much as it takes to recognise gzip and the format.
    public init(path: String, options: ManifestOptions = ManifestOptions()) throws {
        let input = try path == "-" ? DescriptorInput(standardInput: ()) : DescriptorInput(path: path)
        let failure = InputFailure()
        self.init(file: path == "-" ? Self.standardInputName : path, failure: failure,
                  progress: InputProgress(totalBytes: input.size), options: options,
                  chunks: { input.nextChunk(failure: failure) })
    }

    /// Reads a manifest held in memory; `file` names it in source locations.
    public init(bytes: [UInt8], file: String, options: ManifestOptions = ManifestOptions()) {
        var sent = false
        self.init(file: file, failure: InputFailure(), progress: InputProgress(totalBytes: bytes.count),
                  options: options, chunks: {
            guard !sent else { return nil }
            sent = true
            return bytes
        })
    }

    /// Reads a manifest from a stream of chunks; `chunks` returns nil at the end and is not called again.
    /// `file` names it in source locations. Its size is unknown to `progress`.
    public init(file: String, chunks: @escaping () -> [UInt8]?, options: ManifestOptions = ManifestOptions()) {
        self.init(file: file, failure: InputFailure(), progress: InputProgress(totalBytes: nil), options: options,
                  chunks: chunks)
    }

    private init(file: String, failure: InputFailure, progress: InputProgress, options: ManifestOptions,
                 chunks: @escaping () -> [UInt8]?) {
        self.file = file
        self.options = options
        self.progress = progress

        // Gzip?
        let raw = ChunkReplay {
            guard let chunk = chunks() else { return nil }
            progress.add(chunk.count)
            return chunk
        }
        while raw.bufferedCount < 2 && raw.readAhead() {}
        isGzip = GzipChunks.hasMagic(raw.bufferedPrefix(2))
        let decompressed: () -> [UInt8]?
        if isGzip {
            let gzip = GzipChunks(chunks: raw.next)
            decompressed = {
                if let chunk = gzip.next() { return chunk }
                if let error = gzip.error {
                    failure.record(error.message, replacesLastRecord: error.kind != .trailingData)
                }
                return nil
            }
        } else {
            decompressed = raw.next
        }

        // Which encoding?
        var decoder: GB18030Decoder?
        let decoded: () -> [UInt8]?
        switch options.encoding {
        case .utf8:
            decoded = decompressed
        case .gb18030:
            let gb18030 = GB18030Decoder(chunks: decompressed)
            decoder = gb18030
            decoded = gb18030.next
        }
        check = decoder.map { GB18030RecordCheck(runs: $0.invalidSequences) }
        if let message = decoder?.openError {
            // Nothing can be read: one error record says why.
            format = .csv
            let error = RecordError(parcel: nil, location: SourceLocation(file: file, line: 1, column: 1),
                                    message: message)
            var sent = false
            records = SourceRecords(file: file, failure: nil, position: nil, holdsBack: false) {
                defer { sent = true }
                return sent ? nil : .error(error)
            }
            return
        }

        // Which format?
        let text = ChunkReplay(decoded)
        var sniffer = ManifestFormat.Sniffer()
        while sniffer.format == nil, let chunk = text.readAheadChunk() { sniffer.feed(chunk) }
        let format = sniffer.finish()
        self.format = format

        switch format {
        case .jsonLines:
            var reader = JSONLinesManifestReader(file: file, chunks: text.next, inputError: { failure.message })
            records = SourceRecords(file: file, failure: nil, position: nil, holdsBack: false) { reader.next() }
        case .csv:
            let position = TextPosition()
            var reader = CSVManifestReader(file: file, chunks: position.tracking(text.next),
                                           columnMap: options.columnMap)
            records = SourceRecords(file: file, failure: failure, position: position, holdsBack: isGzip) {
                reader.next()
            }
        case .xml:
            let position = TextPosition()
            let xml = decoder == nil ? text.next : GB18030Decoder.blankingDeclaredEncoding(text.next)
            var reader = XMLManifestReader(file: file, chunks: position.tracking(xml))
            records = SourceRecords(file: file, failure: failure, position: position, holdsBack: isGzip) {
                reader.next()
            }
        }
    }

    public mutating func next() -> ManifestRecord? {
        guard let record = records.next() else { return nil }
        return check?.check(record) ?? record
    }

    /// Raw bytes read so far (`progress.bytesRead`).
    public var bytesRead: Int { progress.bytesRead }

    /// The raw input's size in bytes when known (`progress.totalBytes`).
    public var totalBytes: Int? { progress.totalBytes }
}

// MARK: - Files and standard input

/// How much of a manifest's raw input (as stored: compressed bytes for gzip) has been read, and its size when
/// known.
///
/// The thread that reads adds each chunk as it reads it (once per 64 KiB); any thread may look, under a lock.
public final class InputProgress: @unchecked Sendable {
    /// The input's size in bytes: a regular file's (from `fstat`; for standard input redirected from a file, what
    /// is left of it), a byte array's; nil for a pipe, a terminal or a chunk function.
    public let totalBytes: Int?
    private let lock = NSLock()
    private var read = 0

    public init(totalBytes: Int?) {
        self.totalBytes = totalBytes
    }

    /// Raw bytes read so far.
    public var bytesRead: Int { lock.withLock { read } }

    /// The share of the input read, from 0 to 1; nil when the size is unknown.
    public var fractionDone: Double? {
        guard let totalBytes else { return nil }
        guard totalBytes > 0 else { return 1 }
        return min(1, Double(bytesRead) / Double(totalBytes))
    }

    func add(_ count: Int) {
        lock.withLock { read += count }
    }
}

/// A file, or standard input, read through its descriptor: up to 64 KiB per chunk, as soon as the descriptor has
/// some, so a stream's records come through as they arrive. (`FileHandle.read(upToCount:)` waits for the whole
/// count, which would hold a live stream back.) Closes a file it opened when released.
final class DescriptorInput {
    private let descriptor: Int32
    private let owned: Bool
    /// Named in the message of a failed read.
    private let name: String
    /// The bytes left to read, when the descriptor is a regular file.
    let size: Int?

    /// Opens a file; throws when it is missing, unreadable or a folder.
    init(path: String) throws(ManifestOpenError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ManifestOpenError(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(descriptor, &info) != 0 || (info.st_mode & S_IFMT) == S_IFDIR {
            let reason = (info.st_mode & S_IFMT) == S_IFDIR ? "is a folder" : String(cString: strerror(errno))
            close(descriptor)
            throw ManifestOpenError(path: path, reason: reason)
        }
        self.descriptor = descriptor
        owned = true
        name = path
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
    }

    /// Standard input (left open).
    init(standardInput: ()) {
        descriptor = STDIN_FILENO
        owned = false
        name = "standard input"
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            size = max(0, Int(info.st_size) - max(0, Int(lseek(descriptor, 0, SEEK_CUR))))
        } else {
            size = nil
        }
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// The next chunk, or nil at the end; a failed read is recorded in `failure` and ends the input.
    func nextChunk(failure: InputFailure) -> [UInt8]? {
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
            if count > 0 {
                if count < chunkSize { chunk.removeSubrange(count...) }
                return chunk
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                failure.record("cannot read \(name): \(String(cString: strerror(errno)))", replacesLastRecord: false)
            }
            return nil
        }
    }
}

// MARK: - Plumbing

/// Why the input ended early, recorded by whoever noticed (the first report wins).
final class InputFailure {
    private(set) var message: String?
    /// Whether the break fell inside the data (a cut or corrupt stream), so the record in progress is incomplete.
    private(set) var replacesLastRecord = false

    func record(_ message: String, replacesLastRecord: Bool) {
        guard self.message == nil else { return }
        self.message = message
        self.replacesLastRecord = replacesLastRecord
    }
}

/// A chunk function with look-ahead: chunks read ahead are replayed, first, by `next`.
final class ChunkReplay {
    private let source: () -> [UInt8]?
    private var ahead: [[UInt8]] = []
    private var ended = false

    init(_ source: @escaping () -> [UInt8]?) {
        self.source = source
    }

    /// How many bytes were read ahead and not yet replayed.
    var bufferedCount: Int { ahead.reduce(0) { $0 + $1.count } }

    /// The first `count` bytes read ahead and not yet replayed (fewer when fewer are).
    func bufferedPrefix(_ count: Int) -> [UInt8] {
        var prefix: [UInt8] = []
        for chunk in ahead where prefix.count < count { prefix += chunk.prefix(count - prefix.count) }
        return prefix
    }

    /// Reads one more chunk ahead; false at the end of input.
    func readAhead() -> Bool {
        readAheadChunk() != nil
    }

    /// Reads one more chunk ahead and returns it; nil at the end of input.
    func readAheadChunk() -> [UInt8]? {
        guard !ended else { return nil }
        while let chunk = source() {
            if chunk.isEmpty { continue }
            ahead.append(chunk)
            return chunk
        }
        ended = true
        return nil
    }

    func next() -> [UInt8]? {
        if !ahead.isEmpty { return ahead.removeFirst() }
        guard !ended else { return nil }
        guard let chunk = source() else {
            ended = true
            return nil
        }
        return chunk
    }
}

/// The line and column (in Unicode scalars) just past the text that has gone through a chunk function.
final class TextPosition {
    private(set) var line = 1
    private(set) var column = 1
    private var atStart = true

    /// `chunks`, counting what passes.
    func tracking(_ chunks: @escaping () -> [UInt8]?) -> () -> [UInt8]? {
        { [self] in
            guard let chunk = chunks() else { return nil }
            advance(over: chunk)
            return chunk
        }
    }

    private func advance(over chunk: [UInt8]) {
        chunk.withUnsafeBufferPointer { bytes in
            // Counted 16 bytes at a time, then the last one found from the end.
            let lineBreaks = Self.lineBreaks(in: bytes)
            var lastBreak = -1
            if lineBreaks > 0 {
                lastBreak = bytes.count - 1
                while bytes[lastBreak] != 0x0A { lastBreak -= 1 }
            }
            var scalars = 0
            for byte in bytes[(lastBreak + 1)...] where byte & 0xC0 != 0x80 { scalars += 1 }
            if atStart && lineBreaks == 0 && bytes.starts(with: utf8BOM) { scalars -= 1 }   // not counted
            atStart = false
            if lineBreaks > 0 {
                line += lineBreaks
                column = 1 + scalars
            } else {
                column += scalars
            }
        }
    }
}

extension TextPosition {
    /// How many line feeds `bytes` holds, compared 16 at a time.
    static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let lineFeed = SIMD16<UInt8>(repeating: 0x0A)
        var count = 0
        var index = 0
        while index + 16 <= bytes.count {
            // A lane that matches is all ones (-1): each lane adds up minus its matches, over at most 127 blocks
            // (so that an Int8 holds them), then the lanes are summed.
            var lanes = SIMD16<Int8>()
            let blocks = min(127, (bytes.count - index) / 16)
            for _ in 0..<blocks {
                let block = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<UInt8>.self)
                lanes &+= unsafeBitCast(block .== lineFeed, to: SIMD16<Int8>.self)
                index += 16
            }
            count -= Int(SIMD16<Int16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while index < bytes.count {
            if bytes[index] == 0x0A { count += 1 }
            index += 1
        }
        return count
    }
}

/// The records of the chosen reader, with the report of an input that ended early.
final class SourceRecords {
    private let file: String
    private let failure: InputFailure?
    private let position: TextPosition?
    private let holdsBack: Bool
    private let read: () -> ManifestRecord?
    private var held: ManifestRecord?
    private var queued: [ManifestRecord] = []
    private var finished = false

    /// `failure` nil: the reader reports an early end itself. `holdsBack`: keep the last record back until the
    /// end shows whether the input broke off in it.
    init(file: String, failure: InputFailure?, position: TextPosition?, holdsBack: Bool,
         read: @escaping () -> ManifestRecord?) {
        self.file = file
        self.failure = failure
        self.position = position
        self.holdsBack = holdsBack
        self.read = read
    }

    func next() -> ManifestRecord? {
        while true {
            if !queued.isEmpty { return queued.removeFirst() }
            if finished { return nil }
            guard let record = read() else {
                finished = true
                let last = held
                held = nil
                guard let failure, let message = failure.message else {
                    if let last { queued.append(last) }
                    continue
                }
                let location = SourceLocation(file: file, line: position?.line ?? 1, column: position?.column ?? 1)
                if failure.replacesLastRecord, let last {
                    queued.append(.error(RecordError(parcel: last.parcelID, location: location, message: message)))
                } else {
                    if let last { queued.append(last) }
                    queued.append(.error(RecordError(parcel: nil, location: location, message: message)))
                }
                continue
            }
            guard holdsBack else { return record }
            let previous = held
            held = record
            if let previous { return previous }
        }
    }
}

extension ManifestRecord {
    /// The parcel id of a parcel, or of an error record when it has one.
    fileprivate var parcelID: String? {
        switch self {
        case .parcel(let parcel, _): return parcel.id
        case .error(let error): return error.parcel
        }
    }
}
