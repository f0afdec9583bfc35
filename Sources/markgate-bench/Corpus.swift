import MarkgateCore
import MarkgateTestSupport

/// A generated register and a corpus of product titles in which every hit is known in advance.
///
/// Names are built from pools that the filler text never uses (Latin names from consonant-vowel
/// syllables, never a filler word; CJK names from one block of ideographs, filler from another), and at
/// most one name is planted in a title, so leftmost-longest matching must find exactly `planted` names.
/// Titles are already in normalized form (lower case, single spaces), as the scan budget is stated for
/// normalized text, and each ends with a newline; `titleEnds` are the offsets of those newlines.
struct Corpus {
    var register: Register
    var text: [UInt8] = []
    var titleEnds: [Int] = []
    var plantedIn: [Bool] = []        // by title: whether a name was planted in it
    var planted = 0

    static let fillerWords = [
        "shoes", "running", "cotton", "shirt", "bag", "leather", "wallet", "watch", "steel", "kitchen", "knife",
        "set", "phone", "case", "cable", "usb", "charger", "toy", "blocks", "kids", "women", "men", "summer",
        "winter", "jacket", "coat", "cap", "hat", "socks", "pack", "of", "new", "style", "black", "white", "red",
        "blue", "size", "large", "small", "mini", "portable", "wireless", "bluetooth", "speaker", "lamp", "led",
        "glass", "bottle", "cup", "mug", "tea", "coffee", "rice", "oil", "cream", "lotion", "serum", "perfume",
        "100ml", "2024", "sport", "outdoor", "camping", "tent", "yoga", "mat", "belt", "scarf", "silk", "wool",
    ]
    static let consonants = Array("bdfgklmnprstvz")
    static let vowels = Array("aeiou")

    /// Builds `names` names (60% Latin, a third of those two words; 40% CJK) and titles until the text
    /// reaches `bytes`, a name planted in `plantPercent`% of them. Deterministic for a seed.
    init(names: Int, bytes: Int, seed: UInt64, plantPercent: Int = 30, distinctPlanted: Int = 0) {
        var random = SplitMix64(seed: seed)
        let fillers = Set(Self.fillerWords)
        var seen = Set<String>()
        var latin: [String] = [], cjk: [String] = []
        func latinWord() -> String {
            String((0..<Int.random(in: 2...4, using: &random)).flatMap { _ in
                [Self.consonants.randomElement(using: &random)!, Self.vowels.randomElement(using: &random)!]
            })
        }
        while latin.count < names * 6 / 10 {
            var name = latinWord()
            if Int.random(in: 0..<3, using: &random) == 0 { name += " " + latinWord() }
            if fillers.contains(name) || !seen.insert(name).inserted { continue }
            latin.append(name)
        }
        while latin.count + cjk.count < names {
            let length = Int.random(in: 2...4, using: &random)
            let name = String(String.UnicodeScalarView((0..<length).map { _ in
                Unicode.Scalar(0x4E00 + UInt32.random(in: 0..<1500, using: &random))!
            }))
            if seen.insert(name).inserted { cjk.append(name) }
        }
        register = Register(marks: (latin + cjk).enumerated().map { index, name in
            Mark(id: "M\(index)", names: [name])
        })
        // Planted as normalized keys (`區` folds to `区`): the scan budget is for normalized text.
        let normalizer = Normalizer()
        let all = (latin + cjk).map(normalizer.key)

        // Titles: 4 to 10 tokens of filler (Latin words or runs of filler ideographs), a name in
        // `plantPercent` of them.
        text.reserveCapacity(bytes + 256)
        while text.count < bytes {
            let tokens = Int.random(in: 4...10, using: &random)
            let plantAt = Int.random(in: 0..<100, using: &random) < plantPercent ? Int.random(in: 0..<tokens, using: &random) : -1
            plantedIn.append(plantAt >= 0)
            for token in 0..<tokens {
                if token > 0 { text.append(0x20) }
                if token == plantAt {
                    let name = distinctPlanted > 0 ? all[Int.random(in: 0..<distinctPlanted, using: &random)]
                        : all.randomElement(using: &random)!
                    text.append(contentsOf: name.utf8)
                    planted += 1
                } else if Int.random(in: 0..<3, using: &random) == 0 {
                    for _ in 0..<Int.random(in: 2...5, using: &random) {
                        let scalar = Unicode.Scalar(0x6000 + UInt32.random(in: 0..<1500, using: &random))!
                        text.append(contentsOf: String(scalar).utf8)
                    }
                } else {
                    text.append(contentsOf: Self.fillerWords.randomElement(using: &random)!.utf8)
                }
            }
            titleEnds.append(text.count)
            text.append(0x0A)
        }
    }
}
