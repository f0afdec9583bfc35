import CZlib

/// Why a gzip stream could not be read to its end.
public struct GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The input ended inside a member (header, compressed data or trailer): the file was cut short.
        case truncated
        /// zlib rejected the data (bad header, bad block, checksum mismatch, ...).
        case corrupt
        /// Something other than another gzip member (or zero padding) follows a complete member.
        case trailingData = "trailing-data"
    }

    public var kind: Kind
    /// What went wrong, for an error record: `truncated gzip stream`, `corrupt gzip stream: invalid block type`,
    /// `unexpected data after the end of the gzip stream`.
    public var message: String
    /// How many decompressed bytes were produced before the problem (all of them were handed out).
    public var decodedBytes: Int

    public init(kind: Kind, message: String, decodedBytes: Int) {
        self.kind = kind
        self.message = message
        self.decodedBytes = decodedBytes
    }

    public var description: String { message }
}

/// A chunk producer that inflates a gzip (or zlib) stream read from another chunk producer.
///
/// - zlib's `inflateInit2` with window bits 15 + 32 detects a gzip or zlib header by itself. Members of a
///   multi-member gzip file (`cat a.gz b.gz`) are decompressed one after the other, as `gunzip` does; zero bytes
///   after the last member (tape padding) are ignored.
/// - `next()` returns decompressed chunks of at most `chunkSize` bytes, and nil at the end (and ever after). It
///   hands out what it has before asking the source for more, so a reader of a pipe sees data as it arrives.
/// - A truncated or corrupt stream never throws: every byte decoded before the problem is returned, then
///   `next()` returns nil and `error` says what went wrong, so a manifest reader can still yield the complete
///   records before the problem and then an error record.
///
/// Use it wherever a reader takes a chunk function: `CSVManifestReader(file: f, chunks: gzip.next)`.
public final class GzipChunks {
    /// The first two bytes of every gzip member.
    public static let magic: [UInt8] = [0x1F, 0x8B]

    /// Whether `prefix` starts with the gzip magic bytes.
    public static func hasMagic(_ prefix: some Collection<UInt8>) -> Bool {
        prefix.starts(with: magic)
    }

    /// Decompresses a whole gzip (or zlib) stream held in memory.
    public static func decompress(_ bytes: [UInt8]) throws(GzipError) -> [UInt8] {
        var sent = false
        let gzip = GzipChunks(chunks: {
            guard !sent else { return nil }
            sent = true
            return bytes
        })
        var out: [UInt8] = []
        while let chunk = gzip.next() { out.append(contentsOf: chunk) }
        if let error = gzip.error { throw error }
        return out
    }

    /// Set once the stream has ended badly; nil while reading and after a clean end.
    public private(set) var error: GzipError?
    /// Complete members decompressed so far.
    public private(set) var members = 0
    /// Decompressed bytes handed out so far.
    public private(set) var decodedBytes = 0

    private enum State {
        /// Inside a member (or expecting its header, at the very start).
        case inMember
        /// After a member's trailer: another member, zero padding or the end may follow.
        case betweenMembers
        case finished
    }

    private let source: () -> [UInt8]?
    private let chunkSize: Int
    private let stream: UnsafeMutablePointer<z_stream>
    private var initialized = false
    private var state = State.inMember
    private var input: [UInt8] = []
    private var inputIndex = 0
    private var sourceEnded = false
    private var sawPadding = false

    /// Inflates the stream `chunks` produces (nil at its end; not called again after that).
    public init(chunks: @escaping () -> [UInt8]?, chunkSize: Int = 64 * 1024) {
        source = chunks
        self.chunkSize = max(1, chunkSize)
        // zlib keeps a pointer back to the z_stream in its state, so the stream must not move: it lives on the heap.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status == Z_OK {
            initialized = true
        } else {
            fail(.corrupt, "cannot start zlib (error \(status))", produced: 0)
        }
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The next chunk of decompressed bytes, or nil at the end (check `error` then).
    public func next() -> [UInt8]? {
        guard state != .finished else { return nil }
        let capacity = chunkSize
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0

        reading: while produced < capacity && state != .finished {
            if inputIndex == input.count {
                if produced > 0 { break }   // hand out what we have before waiting for more input
                guard readInput() else {
                    if state == .inMember {
                        fail(.truncated, "truncated gzip stream", produced: produced)
                    } else {
                        state = .finished
                    }
                    break
                }
            }

            if state == .betweenMembers {
                while inputIndex < input.count && input[inputIndex] == 0 {
                    inputIndex += 1
                    sawPadding = true
                }
                if inputIndex == input.count { continue }
                if sawPadding {   // something after zero padding
                    fail(.trailingData, "unexpected data after the end of the gzip stream", produced: produced)
                    break
                }
                if input.count - inputIndex < 2 && !readMoreInput() {
                    fail(.trailingData, "unexpected data after the end of the gzip stream", produced: produced)
                    break
                }
                guard input[inputIndex] == Self.magic[0] && input[inputIndex + 1] == Self.magic[1] else {
                    fail(.trailingData, "unexpected data after the end of the gzip stream", produced: produced)
                    break
                }
                inflateReset(stream)
                state = .inMember
            }

            let available = input.count - inputIndex
            let start = inputIndex
            let offset = produced
            let stream = self.stream
            let (status, consumed, written) = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_in = inBuffer.baseAddress! + start
                    stream.pointee.avail_in = UInt32(available)
                    stream.pointee.next_out = outBuffer.baseAddress! + offset
                    stream.pointee.avail_out = UInt32(capacity - offset)
                    let status = inflate(stream, Z_NO_FLUSH)
                    let consumed = available - Int(stream.pointee.avail_in)
                    let written = capacity - offset - Int(stream.pointee.avail_out)
                    stream.pointee.next_in = nil
                    stream.pointee.next_out = nil
                    return (status, consumed, written)
                }
            }
            inputIndex += consumed
            produced += written

            switch status {
            case Z_STREAM_END:
                members += 1
                state = .betweenMembers
            case Z_OK:
                break
            case Z_BUF_ERROR where consumed > 0 || written > 0 || inputIndex == input.count || produced == capacity:
                break   // no progress possible without more input or more room: both come next
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                fail(.corrupt, "corrupt gzip stream: \(reason)", produced: produced)
                break reading
            }
        }

        guard produced > 0 else { return nil }
        if produced < capacity { output.removeSubrange(produced...) }
        decodedBytes += produced
        return output
    }

    private func fail(_ kind: GzipError.Kind, _ message: String, produced: Int) {
        error = GzipError(kind: kind, message: message, decodedBytes: decodedBytes + produced)
        state = .finished
    }

    /// Replaces the exhausted input by the source's next non-empty chunk; false at its end.
    private func readInput() -> Bool {
        guard let chunk = nextSourceChunk() else { return false }
        input = chunk
        inputIndex = 0
        return true
    }

    /// Appends the source's next non-empty chunk to the unread input; false at its end.
    private func readMoreInput() -> Bool {
        guard let chunk = nextSourceChunk() else { return false }
        input = Array(input[inputIndex...]) + chunk
        inputIndex = 0
        return true
    }

    private func nextSourceChunk() -> [UInt8]? {
        while !sourceEnded {
            guard let chunk = source() else {
                sourceEnded = true
                return nil
            }
            if !chunk.isEmpty { return chunk }
        }
        return nil
    }
}
