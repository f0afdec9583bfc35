/// The byte buffer markgate's JSON writers append to: an append is a bounds check and a copy.
///
/// `[UInt8].append(contentsOf:)` goes through a generic path of about 150 instructions a call, and a decision
/// line or a case-book row is dozens of short appends. `JSONBytes` starts in a caller's buffer (on the stack, see
/// `write(into:_:)`), moves to the heap only if the object outgrows it, and is copied out once at the end.
struct JSONBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var owned: Bool
    /// Bytes written so far.
    private(set) var count = 0

    /// Runs `body` on an empty buffer and appends what it wrote to `out`.
    static func write(into out: inout [UInt8], _ body: (inout JSONBytes) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1_024) { stack in
            var bytes = JSONBytes(borrowing: stack)
            body(&bytes)
            bytes.withBytes { out.append(contentsOf: $0) }
        }
    }

    /// Runs `body` on an empty buffer and returns what it wrote as text.
    static func text(_ body: (inout JSONBytes) -> Void) -> String {
        var out: [UInt8] = []
        write(into: &out, body)
        return String(decoding: out, as: UTF8.self)
    }

    /// Starts in `buffer`, which must outlive the value (its bytes are not freed by it).
    private init(borrowing buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress!
        capacity = buffer.count
        owned = false
    }

    deinit {
        if owned { base.deallocate() }
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { append($0) }
    }

    /// Two bytes, e.g. an escape.
    @inline(__always)
    mutating func append(_ first: UInt8, _ second: UInt8) {
        append(first)
        append(second)
    }

    /// Calls `body` with the bytes written so far.
    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        body(UnsafeBufferPointer(start: base, count: count))
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, 2 * capacity)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if owned { base.deallocate() }
        base = newBase
        capacity = newCapacity
        owned = true
    }
}
