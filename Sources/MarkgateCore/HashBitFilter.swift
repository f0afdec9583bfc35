/// A set of 64-bit hashes kept as one bit each, asked before a costlier lookup.
///
/// `mightContain` is true for every hash inserted and false for most others, so a lookup it turns away never
/// touches the table behind it. A hash sets two bits of one 64-bit word (a blocked Bloom filter with two probes):
/// at 8 bits a hash about one absent hash in twenty gets through, against one in nine for a single bit, and the
/// probe still reads one word. Word and bits are taken from the top of the hash times the golden ratio
/// (Fibonacci hashing), so hashes with poor low bits (small packed keys) spread as well as FNV hashes do. Used by
/// `FuzzyIndex`, `HomophoneIndex` and `LatinDisguiseMatcher`.
struct HashBitFilter: Sendable {
    private var words: [UInt64]
    private let shift: UInt64

    /// An empty filter with room for `count` hashes at about `bitsPerHash` bits each (at least 128 bits in all,
    /// a power of two).
    init(capacity count: Int, bitsPerHash: Int = 8) {
        var bits = 128
        var log = 7
        while bits < count * bitsPerHash {
            bits <<= 1
            log += 1
        }
        words = [UInt64](repeating: 0, count: bits / 64)
        shift = UInt64(64 - (log - 6))
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

    /// The word of a spread hash (its top bits) and its two bits in that word (from the twelve bits below them):
    /// one word read for both. `shift` is 64 less the bits of a word index: from 63 (two words) down, never near
    /// 12 for a filter that fits in memory.
    @inline(__always)
    private static func position(spread: UInt64, _ shift: UInt64) -> (word: Int, bits: UInt64) {
        let word = Int(truncatingIfNeeded: spread &>> shift)
        let below = spread &>> (shift &- 12)
        return (word, 1 << (below & 63) | 1 << ((below >> 6) & 63))
    }

    mutating func insert(_ hash: UInt64) {
        let (word, bits) = Self.position(spread: Self.spread(hash), shift)
        words[word] |= bits
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
            let (word, bits) = HashBitFilter.position(spread: spread, shift)
            return words[word] & bits == bits
        }
    }

    /// Calls `body` with a probe of this filter, valid only inside `body`.
    @inline(__always)
    func withProbe<Result>(_ body: (Probe) throws -> Result) rethrows -> Result {
        try words.withUnsafeBufferPointer { try body(Probe(words: $0, shift: shift)) }
    }
}
