/// Up to 32 bytes held in the value itself: no heap allocation and no reference count.
///
/// What a `DecisionEntry` keeps its content digest and its time in. An entry is made on a screening thread and
/// released on the recorder's; every heap object that crosses threads that way costs a `free` into another
/// thread's arena, which measured as more than the hashing it carries (`markgate-bench --pipeline --db`).
public struct InlineBytes: Sendable, Equatable, CustomStringConvertible {
    /// The most bytes a value holds.
    public static let capacity = 32

    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// How many bytes it holds.
    public private(set) var count: Int

    /// `count` bytes (at most 32) written by `fill`.
    public init(count: Int, _ fill: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        precondition(count >= 0 && count <= Self.capacity, "InlineBytes holds at most 32 bytes")
        self.count = count
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.withMemoryRebound(to: UInt8.self) { fill(UnsafeMutableBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// A copy of `bytes` (at most 32).
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.init(count: bytes.count) { target in
            for index in 0..<bytes.count { target[index] = bytes[index] }
        }
    }

    /// Calls `body` with the bytes.
    public func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        withUnsafeBytes(of: storage) { raw in
            raw.withMemoryRebound(to: UInt8.self) { body(UnsafeBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// The bytes as an array.
    public var array: [UInt8] { withBytes { Array($0) } }

    /// The bytes as UTF-8 text.
    public var description: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    public static func == (lhs: InlineBytes, rhs: InlineBytes) -> Bool {
        lhs.count == rhs.count && lhs.withBytes { left in rhs.withBytes { right in left.elementsEqual(right) } }
    }
}
