/// Text folded for matching, as UTF-8 bytes, with a map from every byte back to the original text.
///
/// `sourceStart[i] ..< sourceEnd[i]` are the offsets, in Unicode scalars of the original string, of the
/// characters byte `i` came from; a match over bytes `a ..< b` covers original scalars
/// `sourceStart[a] ..< sourceEnd[b - 1]`. `flags[i]` records how byte `i` was folded (`FoldFlags`).
public struct NormalizedText: Sendable, Hashable {
    public internal(set) var bytes: [UInt8] = []
    public internal(set) var sourceStart: [Int32] = []
    public internal(set) var sourceEnd: [Int32] = []
    public internal(set) var flags: [FoldFlags] = []

    public init() {}

    /// The normalized text as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the text, keeping its storage for reuse.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        sourceStart.removeAll(keepingCapacity: true)
        sourceEnd.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
    }

    /// Makes room for `count` bytes, so that normalizing a text of about that many bytes grows no array.
    mutating func reserveCapacity(_ count: Int) {
        guard bytes.capacity < count else { return }
        bytes.reserveCapacity(count)
        sourceStart.reserveCapacity(count)
        sourceEnd.reserveCapacity(count)
        flags.reserveCapacity(count)
    }

    /// Appends one byte that came from original scalars `start ..< end`.
    @inline(__always)
    mutating func append(_ byte: UInt8, start: Int32, end: Int32, flags: FoldFlags) {
        bytes.append(byte)
        sourceStart.append(start)
        sourceEnd.append(end)
        self.flags.append(flags)
    }

    /// The original scalar range covered by normalized bytes `range`.
    public func sourceRange(of range: Range<Int>) -> Range<Int> {
        precondition(!range.isEmpty && range.upperBound <= bytes.count, "range outside the normalized text")
        return Int(sourceStart[range.lowerBound])..<Int(sourceEnd[range.upperBound - 1])
    }

    /// The union of the fold flags of bytes `range`.
    public func flags(of range: Range<Int>) -> FoldFlags {
        var all: FoldFlags = []
        for index in range { all.formUnion(flags[index]) }
        return all
    }
}

/// How a normalized byte was obtained from the original text.
public struct FoldFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Case, width, compatibility form, diacritics, spacing or punctuation changed.
    public static let normalized = FoldFlags(rawValue: 1)
    /// A cross-script look-alike was replaced.
    public static let homoglyph = FoldFlags(rawValue: 2)
    /// A traditional Chinese character was simplified.
    public static let traditional = FoldFlags(rawValue: 4)
}
