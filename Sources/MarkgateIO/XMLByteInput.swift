/// The bytes of an XML document as `XMLReaderCore` hands them to libxml2: from memory or from a stream of chunks.
///
/// The caller takes bytes where they lie (no copy) through `take`; a chunk is read only once everything before
/// it has been taken, so at most one chunk (plus a few bytes, see `fill`) is held.
final class XMLByteInput {
    private var buffer: [UInt8]
    private var position = 0
    private var chunks: (() -> [UInt8]?)?
    private var ended: Bool

    init(bytes: [UInt8]) {
        buffer = bytes
        chunks = nil
        ended = true
    }

    init(chunks: @escaping () -> [UInt8]?) {
        buffer = []
        self.chunks = chunks
        ended = false
    }

    /// Drops the input (closing a file); `take` then finds its end.
    func close() {
        chunks = nil
        ended = true
        buffer = []
        position = 0
    }

    /// Reads chunks until `count` bytes not yet taken are held, or the input ends.
    func fill(atLeast count: Int) {
        while buffer.count - position < count && refill() {}
    }

    /// Calls `body` with the bytes held and not yet taken (reading a chunk first when there are none) and takes
    /// as many as it returns; false, without calling `body`, at the end of input.
    func take(_ body: (UnsafeBufferPointer<UInt8>) -> Int) -> Bool {
        while position == buffer.count {
            guard refill() else { return false }
        }
        let taken = buffer.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[position...])) }
        position += taken
        if position == buffer.count && chunks != nil {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        return true
    }

    /// Appends the next non-empty chunk; false at the end of input.
    private func refill() -> Bool {
        guard !ended, let chunks else { return false }
        while let chunk = chunks() {
            guard !chunk.isEmpty else { continue }
            if position > 0 {
                buffer.removeSubrange(..<position)
                position = 0
            }
            if buffer.isEmpty {
                buffer = chunk
            } else {
                buffer.append(contentsOf: chunk)
            }
            return true
        }
        ended = true
        return false
    }
}
