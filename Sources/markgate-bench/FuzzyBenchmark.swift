import Foundation
import MarkgateCore
import MarkgateTestSupport

/// `markgate-bench --fuzzy`: the cost per title of screening with fuzzy matching on, as the register grows.
///
/// For each register size, a register of generated names (as `Corpus` makes them) and titles of filler words
/// of which 30% carry one of its Latin names of 5+ letters with one typo (substitution, deletion, insertion
/// or transposition). Prints the screening time per title, the fuzzy index's share of it, and how many of
/// the typo'd names were found (each is within its budget, so all should be).
enum FuzzyBenchmark {
    static func run(sizes: [Int], titles titleCount: Int, seed: UInt64) -> Bool {
        print("fuzzy: \(titleCount) titles per register, 30% with a typo'd name")
        var perTitle: [Double] = []
        var ok = true
        for size in sizes {
            let corpus = Corpus(names: size, bytes: 0, seed: seed)
            let latin = corpus.register.marks.filter { mark in
                mark.names[0].utf8.allSatisfy { $0 < 0x80 } && mark.names[0].filter { $0 != " " }.count >= 5
            }
            var random = SplitMix64(seed: seed &+ UInt64(size))
            var titles: [(text: String, mark: String?)] = []
            for _ in 0..<titleCount {
                var words = (0..<Int.random(in: 4...8, using: &random)).map { _ in
                    Corpus.fillerWords.randomElement(using: &random)!
                }
                var planted: String?
                if Int.random(in: 0..<10, using: &random) < 3, let mark = latin.randomElement(using: &random) {
                    words.insert(typo(mark.names[0], using: &random), at: Int.random(in: 0...words.count, using: &random))
                    planted = mark.id
                }
                titles.append((words.joined(separator: " "), planted))
            }
            let clock = ContinuousClock()
            var screener: Screener?
            let build = clock.measure { screener = Screener(register: corpus.register) }
            let built = screener!
            let parcels = titles.enumerated().map { index, title in
                Parcel(id: "T\(index)", items: [ParcelItem(line: 1, description: title.text)])
            }
            var found = 0, planted = 0
            let elapsed = clock.measure {
                for (parcel, title) in zip(parcels, titles) {
                    let decision = built.screen(parcel)
                    if let mark = title.mark {
                        planted += 1
                        if decision.hits.contains(where: { $0.mark == mark }) {
                            found += 1
                        } else if ProcessInfo.processInfo.environment["SHOW_MISSES"] != nil, planted - found <= 12 {
                            let name = corpus.register.mark(id: mark)!.names[0]
                            print("    missed \(mark) \"\(name)\" in \"\(title.text)\" -> \(decision.hits.map { "\($0.mark):\($0.matched):\($0.method)" })")
                        }
                    }
                }
            }
            // The fuzzy index alone: every token of 4 letters or more looked up.
            let index = FuzzyIndex(keys: corpus.register.marks.compactMap { mark in
                let key = Array(mark.names[0].utf8.filter { $0 != 0x20 })
                return key.allSatisfy { $0 < 0x80 } ? key : nil
            })
            let tokens = titles.map { $0.text.split(separator: " ").map { Array($0.utf8) }.filter { $0.count >= 4 } }
            var candidates = 0
            let fuzzyTime = clock.measure {
                for titleTokens in tokens { for token in titleTokens { candidates += index.lookup(token).count } }
            }
            let micro = seconds(elapsed) * 1e6 / Double(titles.count)
            perTitle.append(micro)
            print(String(format: "  %7d names: build %.2f s, screening %.1f µs per title, fuzzy index lookups %.1f µs, "
                         + "found %d of %d typo'd names", size, seconds(build), micro,
                         seconds(fuzzyTime) * 1e6 / Double(titles.count), found, planted))
            if found < planted { ok = false }
        }
        if let low = perTitle.min(), let high = perTitle.max() {
            print(String(format: "  cost per title, largest over smallest register: %.2f× (budget 2×)", high / low))
            if high / low > 2 { ok = false }
        }
        return ok
    }

    /// One edit of a random kind at a random place (not at the first letter).
    static func typo(_ name: String, using random: inout SplitMix64) -> String {
        var letters = Array(name.lowercased())
        let spaces = letters.indices.filter { letters[$0] == " " }
        var at = Int.random(in: 1..<(letters.count - 1), using: &random)
        while spaces.contains(at) || spaces.contains(at + 1) { at = Int.random(in: 1..<(letters.count - 1), using: &random) }
        switch Int.random(in: 0..<4, using: &random) {
        case 0: letters[at] = letters[at] == "x" ? "q" : "x"
        case 1: letters.remove(at: at)
        case 2: letters.insert(letters[at], at: at)
        default: letters.swapAt(at, at + 1)
        }
        return String(letters)
    }
}
