/// Text folded for matching, as UTF-8 bytes, with a map from every byte back to the original text.
///
/// `sourceStart[i] ..< sourceEnd[i]` are the offsets, in Unicode scalars of the original string, of the
/// characters byte `i` came from; a match over bytes `a ..< b` covers original scalars
/// `sourceStart[a] ..< sourceEnd[b - 1]`. `flags[i]` records how byte `i` was folded (`FoldFlags`).
/// The three are kept together, one `Origin` per byte, so that normalizing appends to two arrays, not four.
public struct NormalizedText: Sendable, Hashable {
    /// Where one normalized byte came from, and how.
    struct Origin: Sendable, Hashable {
        var start: Int32
        var end: Int32
        var flags: FoldFlags
    }

    public internal(set) var bytes: [UInt8] = []
    /// One per byte, or none when the text was normalized without them (`hasOrigins`).
    var origins: [Origin] = []

    /// Whether the way back to the original text was recorded (the screener leaves it out of texts that name
    /// nothing); `sourceRange` and `flags(of:)` need it.
    var hasOrigins: Bool { origins.count == bytes.count }

    public init() {}

    /// The original scalar offset where the character of each byte starts.
    public var sourceStart: [Int32] { origins.map(\.start) }
    /// The original scalar offset where the character of each byte ends.
    public var sourceEnd: [Int32] { origins.map(\.end) }
    /// How each byte was folded.
    public var flags: [FoldFlags] { origins.map(\.flags) }

    /// The normalized text as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the text, keeping its storage for reuse.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        origins.removeAll(keepingCapacity: true)
    }

    /// Makes room for `count` bytes, so that normalizing a text of about that many bytes grows no array.
    mutating func reserveCapacity(_ count: Int) {
        guard bytes.capacity < count else { return }
        bytes.reserveCapacity(count)
        origins.reserveCapacity(count)
    }

    /// Appends one byte that came from original scalars `start ..< end`.
    @inline(__always)
    mutating func append(_ byte: UInt8, start: Int32, end: Int32, flags: FoldFlags) {
        bytes.append(byte)
        origins.append(Origin(start: start, end: end, flags: flags))
    }

    /// The original scalar range covered by normalized bytes `range`.
    public func sourceRange(of range: Range<Int>) -> Range<Int> {
        precondition(!range.isEmpty && range.upperBound <= bytes.count, "range outside the normalized text")
        precondition(hasOrigins, "normalized without its origins")
        return Int(origins[range.lowerBound].start)..<Int(origins[range.upperBound - 1].end)
    }

    /// The union of the fold flags of bytes `range`.
    public func flags(of range: Range<Int>) -> FoldFlags {
        precondition(hasOrigins, "normalized without its origins")
        var all: FoldFlags = []
        for index in range { all.formUnion(origins[index].flags) }
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
