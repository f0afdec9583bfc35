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
    private var postings: [UInt64: [Int32]] = [:]

    /// The edit budget of a name of `length` characters.
    public static func budget(forLength length: Int) -> Int {
        length <= 4 ? 0 : length <= 8 ? 1 : 2
    }

    /// Builds the index over compact keys; keys of 4 characters or fewer are ignored (budget 0).
    /// Returns, for each key, its entry number (nil when ignored), in `entryOf`.
    public init(keys: [[UInt8]]) {
        var seen: [[UInt8]: Int] = [:]
        for key in keys {
            let budget = Self.budget(forLength: key.count)
            guard budget > 0, seen[key] == nil else { continue }
            let entry = entries.count
            seen[key] = entry
            entries.append(Entry(key: key, budget: budget))
            var variants = Set<UInt64>()
            Self.deletions(of: key, upTo: budget) { variants.insert(Self.hash($0)) }
            for variant in variants { postings[variant, default: []].append(Int32(entry)) }
        }
    }

    /// The entry of a compact key, if it was indexed.
    public func entry(forKey key: [UInt8]) -> Int? {
        guard let candidates = postings[Self.hash(key)] else { return nil }
        return candidates.lazy.map(Int.init).first { entries[$0].key == key }
    }

    /// The names within their budget of `query`, closest first (ties: in entry order).
    public func lookup(_ query: [UInt8]) -> [Found] {
        guard query.count >= 4 else { return [] }
        let reach = query.count >= 7 ? 2 : 1          // names within 2 of the query are 9+ long
        var candidates = Set<Int32>()
        Self.deletions(of: query, upTo: reach) { variant in
            if let hits = postings[Self.hash(variant)] { candidates.formUnion(hits) }
        }
        var found: [Found] = []
        for candidate in candidates {
            let entry = entries[Int(candidate)]
            guard abs(entry.key.count - query.count) <= entry.budget else { continue }
            let distance = EditDistance.osa(entry.key, query)
            if distance <= entry.budget { found.append(Found(entry: Int(candidate), distance: distance)) }
        }
        return found.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.entry < $1.entry }
    }

    /// Calls `body` with `key` and every string made by deleting 1 to `depth` of its characters (with
    /// repeats when letters repeat; callers hash into sets).
    static func deletions(of key: [UInt8], upTo depth: Int, _ body: ([UInt8]) -> Void) {
        body(key)
        guard depth > 0, key.count > 1 else { return }
        var shorter = key
        for index in 0..<key.count {
            shorter.remove(at: index)
            if depth == 1 { body(shorter) } else { deletions(of: shorter, upTo: depth - 1, body) }
            shorter.insert(key[index], at: index)
        }
    }

    /// FNV-1a, 64 bits.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
