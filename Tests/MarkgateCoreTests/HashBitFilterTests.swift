import MarkgateTestSupport
import Testing
@testable import MarkgateCore

/// The bit filter in front of the fuzzy, homophone and name-word lookups: no false negatives, few false positives.
struct HashBitFilterTests {
    @Test(arguments: [0, 1, 100, 10_000])
    func holdsEveryHashInsertedAndTurnsAwayMostOthers(_ count: Int) {
        var random = SplitMix64(seed: UInt64(count) + 1)
        let inserted = (0..<count).map { _ in random.next() }
        let filter = HashBitFilter(inserted)
        let insertedSet = Set(inserted)
        #expect(inserted.allSatisfy(filter.mightContain))
        // Small packed keys (poor low bits) as well as random hashes.
        let absent = (0..<10_000).map { _ in random.next() } + (1...10_000).map { UInt64($0) << 32 | 7 }
        let through = absent.filter { !insertedSet.contains($0) && filter.mightContain($0) }.count
        // Two bits a hash in one word: about 2-4% at the 10-13 bits a hash these sizes round up to (one bit a
        // hash let 7-9% through).
        #expect(Double(through) / Double(absent.count) < 0.05, "\(through) of \(absent.count) got through")
    }

    /// A hash that is a sum, asked in spread form from its two terms spread apart (as `FuzzyIndex` asks its
    /// deletions), gets the answer the hash gets: every inserted one through, the others as `mightContain` says.
    @Test(arguments: [1, 100, 10_000])
    func answersASumSpreadATermAtATimeAsTheSum(_ count: Int) {
        var random = SplitMix64(seed: UInt64(count) + 0x5B2E)
        let inserted = (0..<count).map { _ in random.next() }
        let filter = HashBitFilter(inserted)
        let asked = inserted + (0..<10_000).map { _ in random.next() }
        filter.withProbe { probe in
            for hash in asked {
                let term = random.next()
                let spread = HashBitFilter.spread(hash &- term) &+ HashBitFilter.spread(term)
                #expect(probe.mightContain(spread: spread) == filter.mightContain(hash))
            }
            #expect(inserted.allSatisfy { probe.mightContain(spread: HashBitFilter.spread($0)) })
        }
    }
}
