/// Finds Chinese names written with a same-sound character swapped in (`谷驰` for `古驰`, `兰扣` for `兰蔻`).
///
/// Names of 2 to 4 characters are indexed by the toneless pinyin of their characters (every combination of
/// readings, so that polyphonic characters match on any of theirs), folded as input methods' fuzzy-sound
/// settings fold the sounds southern speakers merge: zh/z, ch/c, sh/s, n/l, and -ang/-an, -eng/-en, -ing/-in
/// (`戴深` for `戴森`). A window of text of the same length matches when its readings agree, it differs from
/// the name in one character (two for names of four characters), and it is not itself a common word
/// (`三行` is a word, not a disguise of a name read `san xing`).
///
/// Readings are small syllable ids, folded once for every character (`readingTable`); a name's key packs
/// one id per character into 16 bits of a `UInt64`.
struct HomophoneIndex: Sendable {
    struct Found: Sendable, Hashable {
        var start: Int           // scalar index in the run
        var length: Int
        var name: Int
        var substitutions: Int
    }

    private let names: [[Unicode.Scalar]]
    private var byKey: [UInt64: [Int32]] = [:]
    private let lengths: [Int]
    private let isCommonWord: @Sendable (String) -> Bool

    /// Folded syllable ids of every Han scalar with readings, computed once.
    static let readingTable: [UInt32: [UInt16]] = {
        var ids: [String: UInt16] = [:]
        var table: [UInt32: [UInt16]] = [:]
        table.reserveCapacity(Lexicon.pinyinEntries.count)
        for (scalar, readings) in Lexicon.pinyinEntries {
            var folded: [UInt16] = []
            for reading in readings {
                let key = fold(reading)
                let id = ids[key] ?? {
                    let next = UInt16(ids.count + 1)
                    ids[key] = next
                    return next
                }()
                if !folded.contains(id) { folded.append(id) }
            }
            table[scalar] = folded
        }
        return table
    }()

    /// A reading folded for fuzzy sound (`shen` → `sen`, `niang` → `lian`).
    static func fold(_ reading: String) -> String {
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
        return initial + final
    }

    init(names: [[Unicode.Scalar]], isCommonWord: @escaping @Sendable (String) -> Bool) {
        self.names = names
        self.isCommonWord = isCommonWord
        var lengths = Set<Int>()
        for (index, name) in names.enumerated() where (2...4).contains(name.count) {
            let readings = name.map { Self.readingTable[$0.value] ?? [] }
            let keys = Self.keys(readings[...])
            guard !keys.isEmpty else { continue }
            lengths.insert(name.count)
            for key in keys { byKey[key, default: []].append(Int32(index)) }
        }
        self.lengths = lengths.sorted()
    }

    /// Packed keys of a run of characters' readings: every combination, at most 16; none if one has none.
    static func keys(_ readings: ArraySlice<[UInt16]>) -> [UInt64] {
        var keys: [UInt64] = [0]
        for options in readings {
            guard !options.isEmpty else { return [] }
            if options.count == 1 {
                for index in keys.indices { keys[index] = keys[index] << 16 | UInt64(options[0]) }
            } else {
                keys = Array(keys.lazy.flatMap { key in options.lazy.map { key << 16 | UInt64($0) } }.prefix(16))
            }
        }
        return keys
    }

    /// Homophone windows in a run of CJK scalars (already normalized: simplified, no separators).
    func find(in run: [Unicode.Scalar]) -> [Found] {
        guard let shortest = lengths.first, run.count >= shortest else { return [] }
        let readings = run.map { Self.readingTable[$0.value] ?? [] }
        var found: [Found] = []
        for length in lengths where length <= run.count {
            for start in 0...(run.count - length) {
                var seen: [Int32] = []
                let window = run[start..<start + length]
                func probe(_ key: UInt64) {
                    for candidate in byKey[key] ?? [] where !seen.contains(candidate) {
                        seen.append(candidate)
                        let name = names[Int(candidate)]
                        let substitutions = zip(name, window).filter { $0 != $1 }.count
                        let allowed = length >= 4 ? 2 : 1
                        guard substitutions > 0, substitutions <= allowed,
                              !isCommonWord(String(String.UnicodeScalarView(window))) else { continue }
                        found.append(Found(start: start, length: length, name: Int(candidate),
                                           substitutions: substitutions))
                    }
                }
                // Most characters have one reading: their window has one key, packed here without allocating.
                var single: UInt64? = 0
                for options in readings[start..<start + length] {
                    guard options.count == 1, let key = single else {
                        single = nil
                        break
                    }
                    single = key << 16 | UInt64(options[0])
                }
                if let single {
                    probe(single)
                } else {
                    for key in Self.keys(readings[start..<start + length]) { probe(key) }
                }
            }
        }
        return found
    }
}
