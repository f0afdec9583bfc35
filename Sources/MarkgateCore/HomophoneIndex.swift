/// Finds Chinese names written with a same-sound character swapped in (`谷驰` for `古驰`, `兰扣` for `兰蔻`).
///
/// Names are indexed by the toneless pinyin of their characters (every combination of readings, so that
/// polyphonic characters match on any of theirs), folded as input methods' fuzzy-sound settings fold the
/// sounds southern speakers merge: zh/z, ch/c, sh/s, n/l, and -ang/-an, -eng/-en, -ing/-in (`戴深` for `戴森`). A window of text of the same length matches when its
/// readings agree, it differs from the name in one character (two for names of four characters or more),
/// and it is not itself a common word (`三行` is a word, not a disguise of a name read `san xing`).
struct HomophoneIndex: Sendable {
    struct Found: Sendable, Hashable {
        var start: Int           // scalar index in the run
        var length: Int
        var name: Int
        var substitutions: Int
    }

    private let names: [[Unicode.Scalar]]
    private var byReading: [String: [Int32]] = [:]
    private let lengths: [Int]
    private let readings: @Sendable (Unicode.Scalar) -> [String]
    private let isCommonWord: @Sendable (String) -> Bool

    init(names: [[Unicode.Scalar]], readings: @escaping @Sendable (Unicode.Scalar) -> [String],
         isCommonWord: @escaping @Sendable (String) -> Bool) {
        self.names = names
        self.readings = readings
        self.isCommonWord = isCommonWord
        var lengths = Set<Int>()
        for (index, name) in names.enumerated() where name.count >= 2 {
            let keys = Self.keys(of: name[...], readings: readings)
            guard !keys.isEmpty else { continue }
            lengths.insert(name.count)
            for key in keys { byReading[key, default: []].append(Int32(index)) }
        }
        self.lengths = lengths.sorted()
    }

    /// A scalar's readings folded for fuzzy sound (`shen` → `sen`, `niang` → `lian`), without repeats.
    static func fuzzyReadings(of scalar: Unicode.Scalar) -> [String] {
        var folded: [String] = []
        for reading in Lexicon.pinyin(of: scalar) {
            var syllable = Substring(reading)
            var initial = ""
            for (long, short) in [("zh", "z"), ("ch", "c"), ("sh", "s")] where syllable.hasPrefix(long) {
                initial = short
                syllable = syllable.dropFirst(2)
            }
            if initial.isEmpty, syllable.first == "n", syllable.count > 1 {
                initial = "l"
                syllable = syllable.dropFirst()
            }
            var final = String(syllable)
            for (long, short) in [("ang", "an"), ("eng", "en"), ("ing", "in")] where final.hasSuffix(long) {
                final = String(final.dropLast(long.count)) + short
            }
            let key = initial + final
            if !folded.contains(key) { folded.append(key) }
        }
        return folded
    }

    /// Reading keys of a run of Han characters: every combination of readings, at most 16.
    static func keys(of scalars: ArraySlice<Unicode.Scalar>,
                     readings: (Unicode.Scalar) -> [String]) -> [String] {
        var keys = [""]
        for scalar in scalars {
            let options = readings(scalar)
            guard !options.isEmpty else { return [] }
            keys = keys.flatMap { key in options.map { key.isEmpty ? $0 : key + " " + $0 } }
            if keys.count > 16 { keys.removeSubrange(16...) }
        }
        return keys
    }

    /// Homophone windows in a run of CJK scalars (already normalized: simplified, no separators).
    func find(in run: [Unicode.Scalar]) -> [Found] {
        var found: [Found] = []
        for length in lengths where length <= run.count {
            for start in 0...(run.count - length) {
                let window = run[start..<start + length]
                var seen = Set<Int32>()
                for key in Self.keys(of: window, readings: readings) {
                    for candidate in byReading[key] ?? [] where seen.insert(candidate).inserted {
                        let name = names[Int(candidate)]
                        let substitutions = zip(name, window).filter { $0 != $1 }.count
                        let allowed = length >= 4 ? 2 : 1
                        guard substitutions > 0, substitutions <= allowed,
                              !isCommonWord(String(String.UnicodeScalarView(window))) else { continue }
                        found.append(Found(start: start, length: length, name: Int(candidate),
                                           substitutions: substitutions))
                    }
                }
            }
        }
        return found
    }
}
