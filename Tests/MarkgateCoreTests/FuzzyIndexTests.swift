import MarkgateTestSupport
import Testing
@testable import MarkgateCore

struct FuzzyLookupCase: CustomTestStringConvertible, Sendable {
    let name: String
    let keys: [String]
    let query: String
    /// The keys found, closest first, with their distances.
    let found: [(key: String, distance: Int)]
    var testDescription: String { name }
}

let fuzzyLookupCases: [FuzzyLookupCase] = [
    FuzzyLookupCase(name: "exact", keys: ["huawei"], query: "huawei", found: [("huawei", 0)]),
    FuzzyLookupCase(name: "transposition", keys: ["huawei"], query: "hauwei", found: [("huawei", 1)]),
    FuzzyLookupCase(name: "insertion", keys: ["zippo"], query: "ziippo", found: [("zippo", 1)]),
    FuzzyLookupCase(name: "two-edits-long-name", keys: ["louisvuitton"], query: "luoisvuiton",
                    found: [("louisvuitton", 2)]),
    FuzzyLookupCase(name: "two-edits-beyond-budget-of-short-name", keys: ["prada"], query: "pradoo", found: []),
    FuzzyLookupCase(name: "short-names-not-indexed", keys: ["nike"], query: "nike", found: []),
    FuzzyLookupCase(name: "query-too-short", keys: ["prada"], query: "pra", found: []),
    FuzzyLookupCase(name: "closest-first", keys: ["samsung", "samsunx"], query: "samsunx",
                    found: [("samsunx", 0), ("samsung", 1)]),
    FuzzyLookupCase(name: "ties-in-entry-order", keys: ["abcdef", "abcdeg"], query: "abcdex",
                    found: [("abcdef", 1), ("abcdeg", 1)]),
    FuzzyLookupCase(name: "repeated-letters", keys: ["gucci"], query: "guci", found: [("gucci", 1)]),
    // A name longer than the query is met with one deletion of the query (`FuzzyIndex.reach`).
    FuzzyLookupCase(name: "two-edit-name-two-longer", keys: ["abcdefghij"], query: "abcdefgh",
                    found: [("abcdefghij", 2)]),
    FuzzyLookupCase(name: "two-edit-name-one-longer-with-a-substitution", keys: ["abcdefghij"], query: "abxdefghi",
                    found: [("abcdefghij", 2)]),
    FuzzyLookupCase(name: "two-edit-name-one-longer-with-a-transposition", keys: ["abcdefghij"],
                    query: "bacdefghi", found: [("abcdefghij", 2)]),
    FuzzyLookupCase(name: "two-edit-name-as-long-two-substitutions", keys: ["abcdefghij"], query: "abxdefghiy",
                    found: [("abcdefghij", 2)]),
    FuzzyLookupCase(name: "two-edit-name-shorter-two-deletions-needed", keys: ["abcdefghi"], query: "abcxdefghiy",
                    found: [("abcdefghi", 2)]),
    // Two deletions side by side, at the start, inside and at the end of the query.
    FuzzyLookupCase(name: "two-edit-name-shorter-adjacent-insertions-first", keys: ["abcdefghi"], query: "xyabcdefghi",
                    found: [("abcdefghi", 2)]),
    FuzzyLookupCase(name: "two-edit-name-shorter-adjacent-insertions", keys: ["abcdefghi"], query: "abcxydefghi",
                    found: [("abcdefghi", 2)]),
    FuzzyLookupCase(name: "two-edit-name-shorter-adjacent-insertions-last", keys: ["abcdefghi"], query: "abcdefghixy",
                    found: [("abcdefghi", 2)]),
    FuzzyLookupCase(name: "two-edit-name-as-long-adjacent-substitutions", keys: ["abcdefghij"], query: "abcxyfghij",
                    found: [("abcdefghij", 2)]),
]

@Test(arguments: fuzzyLookupCases)
func fuzzyLookup(_ testCase: FuzzyLookupCase) {
    let index = FuzzyIndex(keys: testCase.keys.map { Array($0.utf8) })
    let found = index.lookup(Array(testCase.query.utf8)).map {
        (String(decoding: index.entries[$0.entry].key, as: UTF8.self), $0.distance)
    }
    #expect(found.map(\.0) == testCase.found.map(\.key))
    #expect(found.map(\.1) == testCase.found.map(\.distance))
}

@Test("Deletion hashes are the hashes of the deletions, in the same order", arguments: [0, 1, 2])
func deletionHashesMatchDeletions(depth: Int) {
    var random = SplitMix64(seed: 0xDE1E + UInt64(depth))
    let alphabet = Array("aabcz09".utf8)
    for length in 0..<14 {
        let key = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
        var expected: [UInt64] = []
        FuzzyIndex.deletions(of: key, upTo: depth) { expected.append(FuzzyIndex.hash($0)) }
        var actual: [UInt64] = []
        key.withUnsafeBufferPointer { FuzzyIndex.forEachDeletionHash(of: $0, upTo: depth) { actual.append($0) } }
        #expect(actual == expected, "key \(String(decoding: key, as: UTF8.self))")
    }
}

@Test("Lookup finds exactly the indexed names within their budget (brute force over every name)")
func fuzzyLookupDifferential() {
    var random = SplitMix64(seed: 0xF022)
    let alphabet = Array("abcde".utf8)
    func word(_ lengths: ClosedRange<Int>) -> [UInt8] {
        (0..<Int.random(in: lengths, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
    }
    let keys = (0..<300).map { _ in word(3...12) }
    let index = FuzzyIndex(keys: keys)
    var distinct: [[UInt8]] = []
    for key in keys where FuzzyIndex.budget(forLength: key.count) > 0 && !distinct.contains(key) {
        distinct.append(key)
    }
    for _ in 0..<400 {
        let query = word(4...14)
        let expected = distinct.enumerated().compactMap { entry, key -> FuzzyIndex.Found? in
            let distance = EditDistance.osaTable(key, query)
            guard distance <= FuzzyIndex.budget(forLength: key.count) else { return nil }
            return FuzzyIndex.Found(entry: entry, distance: distance)
        }.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.entry < $1.entry }
        let actual = index.lookup(query)
        #expect(actual == expected, "query \(String(decoding: query, as: UTF8.self))")
        if actual != expected { return }
    }
}

@Test("Lookup finds exactly the names within their budget of queries made from a name by a few edits",
      arguments: [1, 2, 3])
func fuzzyLookupNearNamesDifferential(edits: Int) {
    var random = SplitMix64(seed: 0xED17 + UInt64(edits))
    let alphabet = Array("abcdefgh".utf8)
    func letter() -> UInt8 { alphabet.randomElement(using: &random)! }
    let keys = (0..<60).map { _ in (0..<Int.random(in: 5...13, using: &random)).map { _ in letter() } }
    let index = FuzzyIndex(keys: keys)
    var distinct: [[UInt8]] = []
    for key in keys where FuzzyIndex.budget(forLength: key.count) > 0 && !distinct.contains(key) {
        distinct.append(key)
    }
    var hits = 0
    for _ in 0..<600 {
        // Insertions, deletions, substitutions and transpositions anywhere, side by side among them.
        var query = keys.randomElement(using: &random)!
        for _ in 0..<edits {
            let at = Int.random(in: 0..<query.count, using: &random)
            switch random.next() % 4 {
            case 0: query.insert(letter(), at: at)
            case 1: if query.count > 1 { query.remove(at: at) }
            case 2: query[at] = letter()
            default: if at + 1 < query.count { query.swapAt(at, at + 1) }
            }
        }
        let expected = distinct.enumerated().compactMap { entry, key -> FuzzyIndex.Found? in
            let distance = EditDistance.osaTable(key, query)
            guard distance <= FuzzyIndex.budget(forLength: key.count) else { return nil }
            return FuzzyIndex.Found(entry: entry, distance: distance)
        }.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.entry < $1.entry }
        let actual = index.lookup(query)
        hits += actual.count
        #expect(actual == expected, "query \(String(decoding: query, as: UTF8.self))")
        if actual != expected { return }
    }
    #expect(hits > 0, "the queries should meet names")
}
