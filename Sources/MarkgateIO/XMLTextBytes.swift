/// A growable buffer of UTF-8 bytes read in place: the text of a parcel's fields (`XMLParcelBuilder.text`).
///
/// Appending is a copy into memory held for the reader's life (it grows, never shrinks), and `bytes` hands the
/// bytes held without a closure. Copies of a value share the memory, so keep one (the parcel builder keeps it
/// in place); `bytes` is valid until the next `append`.
struct XMLTextBytes {
    /// Owns the memory (a class, so that it is freed with the last copy).
    private final class Storage {
        var memory: UnsafeMutablePointer<UInt8>

        init(capacity: Int) {
            memory = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        }

        deinit {
            memory.deallocate()
        }
    }

    private let storage: Storage
    /// The storage's memory, read without going through the class.
    private var memory: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes are held.
    private(set) var count = 0

    init(capacity: Int = 4096) {
        storage = Storage(capacity: capacity)
        memory = storage.memory
        self.capacity = capacity
    }

    /// The bytes held.
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: memory, count: count)
    }

    /// The bytes held from `start` on.
    func bytes(from start: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: memory + start, count: count - start)
    }

    mutating func append(_ start: UnsafePointer<UInt8>, count added: Int) {
        if added > capacity - count { grow(toHold: count + added) }
        (memory + count).initialize(from: start, count: added)
        count += added
    }

    /// Drops the bytes from `start` on.
    mutating func removeSuffix(from start: Int) {
        count = min(count, start)
    }

    mutating func removeAll() {
        count = 0
    }

    private mutating func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: memory, count: count)
        storage.memory.deallocate()
        storage.memory = grown
        memory = grown
        capacity = newCapacity
    }
}
