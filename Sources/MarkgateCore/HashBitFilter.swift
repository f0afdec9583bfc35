/// A set of 64-bit hashes kept as one bit each, asked before a costlier lookup.
///
/// `mightContain` is true for every hash inserted and false for most others (about one in `bitsPerHash`
/// gets through), so a lookup it turns away never touches the table behind it. The bit is taken from the top
/// of the hash times the golden ratio (Fibonacci hashing), so hashes with poor low bits (small packed keys)
/// spread as well as FNV hashes do. Used by `FuzzyIndex`, `HomophoneIndex` and `LatinDisguiseMatcher`.
struct HashBitFilter: Sendable {
    private var words: [UInt64]
    private let shift: UInt64

    /// An empty filter with room for `count` hashes at about `bitsPerHash` bits each (at least 64 bits in all,
    /// a power of two).
    init(capacity count: Int, bitsPerHash: Int = 8) {
        var bits = 64
        var log = 6
        while bits < count * bitsPerHash {
            bits <<= 1
            log += 1
        }
        words = [UInt64](repeating: 0, count: bits / 64)
        shift = UInt64(64 - log)
    }

    /// A filter holding `hashes`.
    init(_ hashes: some Collection<UInt64>, bitsPerHash: Int = 8) {
        self.init(capacity: hashes.count, bitsPerHash: bitsPerHash)
        for hash in hashes { insert(hash) }
    }

    /// `hash` times the golden ratio, whose top bits are its bit (`Probe.mightContain(spread:)` takes this form).
    ///
    /// Wrapping multiplication distributes over wrapping addition: a caller whose hashes are sums of a few terms
    /// (`FuzzyIndex`'s deletions) can spread each term once and add the spread terms.
    @inline(__always)
    static func spread(_ hash: UInt64) -> UInt64 { hash &* 0x9E37_79B9_7F4A_7C15 }

    /// The bit of a spread hash: its top bits. `shift` is below 64 (the filter has 64 bits or more), so the
    /// masking shift gives what `>>` would, without its test for 64 and over.
    @inline(__always)
    private static func bit(spread: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: spread &>> shift)
    }

    mutating func insert(_ hash: UInt64) {
        let bit = Self.bit(spread: Self.spread(hash), shift)
        words[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    /// False when `hash` was certainly never inserted.
    func mightContain(_ hash: UInt64) -> Bool {
        withProbe { $0.mightContain(hash) }
    }

    /// The filter read through a pointer, for hot loops: asking it retains nothing and checks no bounds twice.
    struct Probe {
        fileprivate let words: UnsafeBufferPointer<UInt64>
        fileprivate let shift: UInt64

        /// False when `hash` was certainly never inserted.
        @inline(__always)
        func mightContain(_ hash: UInt64) -> Bool { mightContain(spread: HashBitFilter.spread(hash)) }

        /// False when the hash whose `HashBitFilter.spread` is `spread` was certainly never inserted.
        @inline(__always)
        func mightContain(spread: UInt64) -> Bool {
            let bit = HashBitFilter.bit(spread: spread, shift)
            return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }
    }

    /// Calls `body` with a probe of this filter, valid only inside `body`.
    @inline(__always)
    func withProbe<Result>(_ body: (Probe) throws -> Result) rethrows -> Result {
        try words.withUnsafeBufferPointer { try body(Probe(words: $0, shift: shift)) }
    }
}
