/// Finds the names within their edit budget of a query string, through a deletion neighbourhood.
///
/// Every name (compact form: lower-case ASCII letters and digits, no spaces) is stored under the hashes of
/// all strings obtained by deleting up to `budget` of its characters. Two strings within OSA distance `d`
/// share such a string with at most `d` deletions on each side, so a query looks up the hashes of its own
/// deletions and verifies each candidate with `EditDistance.osa`. The work per query depends on the
/// query's length, not on how many names there are.
///
/// The edit budget grows with the name: up to 4 characters, none (such names are not indexed: exact
/// matching finds them); 5 to 8, one edit; 9 or more, two.
public struct FuzzyIndex: Sendable {
    /// A name the index can return.
    public struct Entry: Sendable, Hashable {
        public var key: [UInt8]
        public var budget: Int
    }

    /// One name found for a query.
    public struct Found: Sendable, Hashable {
        public var entry: Int
        public var distance: Int
    }

    public private(set) var entries: [Entry] = []
    /// One slot of the open-addressing table over deletion hashes, 16 bytes (one probe, one cache line):
    /// `hash` (0 = empty) owns `postings[start ..< start + count]`, entry numbers in ascending order.
    private struct Slot {
        var hash: UInt64 = 0
        var start: UInt32 = 0
        var count: UInt32 = 0
    }

    private var slots: [Slot] = []
    /// One bit per stored deletion (8 bits each, so about one absent deletion in nine gets through): most
    /// deletions of a query are absent, and this small table (cache-resident where `slots` is not) turns them
    /// away before a probe of `slots` would miss the cache. Keyed by `filterKey` of the deletion's polynomial
    /// and length, so that a deletion turned away is never finished into its hash.
    private var filter = HashBitFilter(capacity: 0)
    private var postings: [Int32] = []
    private var mask = 0
    private var twoEditLengths = Set<Int>()
    /// Bit `n` set when a name of `n` characters (n < 64) has a budget of two.
    private var twoEditLengthMask: UInt64 = 0

    /// The edit budget of a name of `length` characters.
    public static func budget(forLength length: Int) -> Int {
        length <= 4 ? 0 : length <= 8 ? 1 : 2
    }

    /// Builds the index over compact keys; keys of 4 characters or fewer are not indexed (budget 0), and a
    /// key given twice is indexed once.
    public init(keys: [[UInt8]]) {
        var seen = Set<[UInt8]>()
        var pairs: [(hash: UInt64, entry: Int32)] = []
        var filterKeys: [UInt64] = []
        for key in keys {
            let budget = Self.budget(forLength: key.count)
            guard budget > 0, seen.insert(key).inserted else { continue }
            let entry = Int32(entries.count)
            entries.append(Entry(key: key, budget: budget))
            if budget == 2 {
                twoEditLengths.insert(key.count)
                if key.count < 64 { twoEditLengthMask |= 1 << UInt64(key.count) }
            }
            key.withUnsafeBufferPointer { bytes in
                Self.forEachDeletionPolynomial(of: bytes, upTo: budget) { polynomial, length in
                    pairs.append((Self.finish(polynomial, length: length), entry))
                    filterKeys.append(Self.filterKey(polynomial, length: length))
                }
            }
        }
        pairs.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.entry < $1.entry }
        var distinct = 0
        for index in pairs.indices where index == 0 || pairs[index].hash != pairs[index - 1].hash { distinct += 1 }
        var capacity = 16
        while capacity < distinct * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Slot](repeating: Slot(), count: capacity)
        filter = HashBitFilter(capacity: distinct)
        for key in filterKeys { filter.insert(key) }
        postings.reserveCapacity(pairs.count)
        var index = 0
        while index < pairs.count {
            let hash = pairs[index].hash
            let start = postings.count
            while index < pairs.count, pairs[index].hash == hash {
                if postings.count == start || postings.last != pairs[index].entry { postings.append(pairs[index].entry) }
                index += 1
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].hash != 0 { slot = (slot + 1) & mask }
            slots[slot] = Slot(hash: hash, start: UInt32(start), count: UInt32(postings.count - start))
        }
    }

    /// The range of `postings` holding the entries stored under a deletion hash (empty when none); `mask` is
    /// the index's (`slots.count - 1`).
    @inline(__always)
    private static func postingRange(for hash: UInt64, slots: UnsafeBufferPointer<Slot>, mask: Int) -> Range<Int> {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = slots[slot]
            if stored.hash == hash {
                let start = Int(stored.start)
                return start..<start + Int(stored.count)
            }
            if stored.hash == 0 { return 0..<0 }
            slot = (slot + 1) & mask
        }
    }

    /// The names within their budget of `query`, closest first (ties: in entry order).
    public func lookup(_ query: [UInt8]) -> [Found] {
        query.withUnsafeBufferPointer { lookup($0) }
    }

    /// The names within their budget of `query`, closest first (ties: in entry order). Allocates only for
    /// what it finds.
    public func lookup(_ query: UnsafeBufferPointer<UInt8>) -> [Found] {
        guard query.count >= 4 else { return [] }
        let reach = Self.reach(queryLength: query.count, twoEditLengthMask: twoEditLengthMask,
                               anyTwoEditName: !twoEditLengths.isEmpty)
        let candidates = Self.candidates(of: query, reach: reach, slots: slots, mask: mask, filter: filter,
                                         postings: postings)
        guard !candidates.isEmpty else { return [] }
        var found: [Found] = []
        for candidate in candidates {
            let distance: Int? = entries.withUnsafeBufferPointer { entries in
                let entry = entries[Int(candidate)]
                guard abs(entry.key.count - query.count) <= entry.budget else { return nil }
                let distance = entry.key.withUnsafeBufferPointer { EditDistance.osa($0, query) }
                return distance <= entry.budget ? distance : nil
            }
            if let distance { found.append(Found(entry: Int(candidate), distance: distance)) }
        }
        return found.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.entry < $1.entry }
    }

    /// The entries stored under the deletions of `query` up to `reach`, each once, in the order first met.
    ///
    /// Static, with the index's parts as arguments: the closures below then capture those, not a copy of the
    /// whole index (retaining and releasing every array it holds, on every lookup).
    private static func candidates(of query: UnsafeBufferPointer<UInt8>, reach: Int, slots: [Slot], mask: Int,
                                   filter: HashBitFilter, postings: [Int32]) -> [Int32] {
        var candidates: [Int32] = []
        slots.withUnsafeBufferPointer { slots in
            filter.withProbe { filter in
                postings.withUnsafeBufferPointer { postings in
                    forEachDeletionPolynomial(of: query, upTo: reach, passing: filter) { polynomial, length in
                        let hash = finish(polynomial, length: length)
                        for index in postingRange(for: hash, slots: slots, mask: mask)
                        where !candidates.contains(postings[index]) {
                            candidates.append(postings[index])
                        }
                    }
                }
            }
        }
        return candidates
    }

    /// Calls `body` with the polynomial and length of each deletion of `key` up to `depth` (as
    /// `forEachDeletionPolynomial`, in the same order) whose `filterKey` `filter` lets through.
    ///
    /// A deletion's filter key is a sum (`P(key)`, its terms, the length's), so it is tested in its spread form
    /// (`HashBitFilter.spread`) from terms spread once per query. The two-character deletions are tested a row
    /// at a time (those deleting one first position): the row's loop writes the positions that get through to a
    /// buffer, handed to `body` after the row, so that it calls nothing and keeps its values in registers. Most
    /// of a long query's deletions are such, and most are turned away.
    @inline(__always)
    private static func forEachDeletionPolynomial(of key: UnsafeBufferPointer<UInt8>, upTo depth: Int,
                                                  passing filter: HashBitFilter.Probe,
                                                  _ body: (UInt64, Int) -> Void) {
        precondition(depth <= 2, "deletion neighbourhoods deeper than two are not supported")
        let count = key.count
        let whole = polynomial(key)
        if filter.mightContain(filterKey(whole, length: count)) { body(whole, count) }
        guard depth > 0, count > 1 else { return }
        withDeletionTerms(of: key, extra: 2 * count) { terms, room in
            precondition(room.count >= 2 * count, "room for the spread terms and a row of deletions")
            let spreadTerms = UnsafeMutableBufferPointer(rebasing: room[..<count])
            let passed = UnsafeMutableBufferPointer(rebasing: room[count..<(2 * count)])
            for index in 0..<count { spreadTerms[index] = HashBitFilter.spread(terms[index]) }
            let oneDeleted = HashBitFilter.spread(filterKey(whole, length: count - 1))
            let twoDeep = depth > 1 && count > 2
            for first in 0..<count {
                if filter.mightContain(spread: oneDeleted &+ spreadTerms[first]) {
                    body(whole &+ terms[first], count - 1)
                }
                guard twoDeep else { continue }
                let head = whole &+ terms[count + first]
                let headSpread = HashBitFilter.spread(filterKey(head, length: count - 2))
                // At most `count - 1 - first` positions, each written at `through`, below that.
                var through = 0
                var second = first + 1
                while second < count {
                    passed[through] = UInt64(truncatingIfNeeded: second)
                    through &+= filter.mightContain(spread: headSpread &+ spreadTerms[second]) ? 1 : 0
                    second &+= 1
                }
                for index in 0..<through { body(head &+ terms[Int(truncatingIfNeeded: passed[index])], count - 2) }
            }
        }
    }

    /// How many characters a query of `queryLength` must have deleted to meet every name within its budget.
    ///
    /// An alignment of query and name costs each side at most one deletion per edit (a substitution or a
    /// transposition: one on each side; a character only the name has: one of the name's; one only the query
    /// has: one of the query's). A name within two edits that is longer than the query has at least one
    /// character only it has, so at most one edit deletes from the query. Two deletions are needed only when a
    /// name with a budget of two has `queryLength - 2` to `queryLength` characters (bit `n` of
    /// `twoEditLengthMask`: such a name has `n` characters; beyond 63, whenever there is one).
    @inline(__always)
    static func reach(queryLength: Int, twoEditLengthMask: UInt64, anyTwoEditName: Bool) -> Int {
        guard queryLength < 62 else { return anyTwoEditName ? 2 : 1 }
        return twoEditLengthMask >> UInt64(queryLength - 2) & 0b111 != 0 ? 2 : 1
    }

    /// Calls `body` with `key` and every string made by deleting 1 to `depth` of its characters, each set of
    /// positions once (deletions in increasing position order; repeated letters still give repeats).
    static func deletions(of key: [UInt8], upTo depth: Int, _ body: ([UInt8]) -> Void) {
        body(key)
        var shorter = key
        deletions(of: &shorter, from: 0, depth: depth, body)
    }

    private static func deletions(of key: inout [UInt8], from first: Int, depth: Int, _ body: ([UInt8]) -> Void) {
        guard depth > 0, key.count > 1 else { return }
        var index = first
        while index < key.count {
            let removed = key.remove(at: index)
            body(key)
            deletions(of: &key, from: index, depth: depth - 1, body)
            key.insert(removed, at: index)
            index += 1
        }
    }

    /// Calls `body` with `hash(s)` for every `s` that `deletions(of:upTo:)` gives (depth 0, 1 or 2), in the same
    /// order, without building the strings: a sum and a finish each, not a pass over the string.
    ///
    /// `hash` is polynomial before its finish (`P(s) = Σ (s[i] + 1)·B^(|s|-1-i)`, wrapping), so a deleted
    /// character changes it by one term: with `P_i` the sum over `key[0 ..< i]` and `D_j = P_j - P_(j+1)`,
    /// `P(key without j) = P(key) + D_j·B^(n-1-j)` and `P(key without j < k) = P(key) + D_j·B^(n-2-j) +
    /// D_k·B^(n-1-k)`. The terms are worked out once per position.
    @inline(__always)
    static func forEachDeletionHash(of key: UnsafeBufferPointer<UInt8>, upTo depth: Int, _ body: (UInt64) -> Void) {
        forEachDeletionPolynomial(of: key, upTo: depth) { body(finish($0, length: $1)) }
    }

    /// Calls `body` with the polynomial `P(s)` and the length of every `s` that `deletions(of:upTo:)` gives, in
    /// the same order (`forEachDeletionHash` finishes each into its hash).
    @inline(__always)
    static func forEachDeletionPolynomial(of key: UnsafeBufferPointer<UInt8>, upTo depth: Int,
                                          _ body: (UInt64, Int) -> Void) {
        precondition(depth <= 2, "deletion neighbourhoods deeper than two are not supported")
        let count = key.count
        let whole = polynomial(key)
        body(whole, count)
        guard depth > 0, count > 1 else { return }
        withDeletionTerms(of: key, extra: 0) { terms, _ in
            for first in 0..<count {
                body(whole &+ terms[first], count - 1)
                if depth > 1, count > 2 {
                    let head = whole &+ terms[count + first]
                    for second in (first + 1)..<count {
                        body(head &+ terms[second], count - 2)
                    }
                }
            }
        }
    }

    /// Calls `body` with the terms a deleted character adds to `P(key)` (for a key of `n > 1` characters):
    /// `terms[j] = D_j·B^(n-1-j)` (`j` deleted alone, or second) and `terms[n + j] = D_j·B^(n-2-j)` (`j` deleted
    /// first); and with `extra` more elements of room, uninitialized, for the caller.
    @inline(__always)
    private static func withDeletionTerms(of key: UnsafeBufferPointer<UInt8>, extra: Int,
                                          _ body: (UnsafeBufferPointer<UInt64>, UnsafeMutableBufferPointer<UInt64>)
                                              -> Void) {
        let count = key.count
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * count + extra) { room in
            let terms = UnsafeMutableBufferPointer(rebasing: room[..<(2 * count)])
            var prefix: UInt64 = 0
            for index in 0..<count {
                let next = prefix &* base &+ (UInt64(key[index]) &+ 1)
                terms[index] = prefix &- next
                prefix = next
            }
            var power: UInt64 = 1                       // B^(n-1-j)
            var lower: UInt64 = 0                       // B^(n-2-j); none for the last character
            var index = count - 1
            while index >= 0 {
                let difference = terms[index]
                terms[index] = difference &* power
                terms[count + index] = difference &* lower
                lower = power
                power = power &* base
                index -= 1
            }
            body(UnsafeBufferPointer(terms), UnsafeMutableBufferPointer(rebasing: room[(2 * count)...]))
        }
    }

    /// The multiplier of the polynomial: odd, with well-mixed bits.
    private static let base: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// `P(s)`, the polynomial part of `hash`.
    @inline(__always)
    private static func polynomial(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for byte in bytes { value = value &* base &+ (UInt64(byte) &+ 1) }
        return value
    }

    /// Mixes the polynomial with the length (murmur3's 64-bit finalizer), so that every bit of the hash depends
    /// on every character; never 0.
    @inline(__always)
    private static func finish(_ value: UInt64, length: Int) -> UInt64 {
        var hash = value ^ (UInt64(truncatingIfNeeded: length) &* 0xC2B2_AE3D_27D4_EB4F)
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash == 0 ? 1 : hash
    }

    /// The key of a deletion in `filter`: its polynomial plus a term for the length, no finish (the filter's own
    /// multiply spreads it), a few instructions where `finish` takes a dozen. A sum, so that it can be spread a
    /// term at a time.
    @inline(__always)
    private static func filterKey(_ polynomial: UInt64, length: Int) -> UInt64 {
        polynomial &+ (UInt64(truncatingIfNeeded: length) &* 0xC2B2_AE3D_27D4_EB4F)
    }

    /// A 64-bit hash of a string, never 0 (0 marks an empty slot): `P(s)` finished with its length.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { finish(polynomial($0), length: $0.count) }
    }
}
