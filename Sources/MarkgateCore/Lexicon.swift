/// Word lists and readings the matcher consults, from generated tables (see scripts/gen-tables/run).
///
/// Each table is parsed from its generated string literal on first use (`PinyinData`, `EnglishWordsData`,
/// `ChineseWordsData`) and then shared, immutable, by every thread.
public enum Lexicon {
    /// Toneless pinyin readings of a Han scalar, most common first (`克` → ["ke"]); empty when unknown.
    ///
    /// Covers U+3400–4DBF and U+4E00–9FFF scalars with a Unihan kMandarin reading; ü is written `v`
    /// (`女` → ["nv"]). Further readings come from kXHC1983 (`行` → ["xing", "hang"]).
    public static func pinyin(of scalar: Unicode.Scalar) -> [String] {
        pinyinTable[scalar.value] ?? []
    }

    /// Whether `word` (lower-case ASCII letters) is an English dictionary word.
    ///
    /// The list is Debian's `wamerican` (SCOWL 50) with proper nouns, lower-cased, words of three letters or
    /// more; it contains many brand names too (`nike`, `chanel`, `rolex`). Input is not case-folded: `Bike` is
    /// not a word. Allocates nothing.
    public static func isEnglishWord(_ word: some StringProtocol) -> Bool {
        englishWords.index(of: word.utf8) != nil
    }

    /// Whether `word` (lower-case ASCII letters) is an everyday English word: one of `isEnglishWord(_:)`'s that
    /// `wamerican` also lists in lower case, not only capitalized as a proper name.
    ///
    /// `apple`, `coach`, `puma`, `canon` are everyday words; `nike`, `chanel`, `gucci`, `tiffany` are proper names
    /// only. Meant for judging register names (is this brand also a word people write?), not for screening.
    public static func isEverydayEnglishWord(_ word: some StringProtocol) -> Bool {
        isEnglishWord(word) && englishProperNames.index(of: word.utf8) == nil
    }

    /// Whether `word` (2 to 4 simplified Han characters) is an everyday Chinese word: one of the common words of
    /// `chineseWordFrequency(_:)` that jieba does not tag only as a proper name (person, place, organisation or
    /// other proper noun).
    ///
    /// `苹果`, `小米`, `香槟`, `联想` are everyday words; `耐克`, `华为`, `索尼`, `迪士尼` are proper names. jieba's tags
    /// are its own: some product names are tagged as common nouns (`茅台`, `五粮液`).
    public static func isEverydayChineseWord(_ word: some StringProtocol) -> Bool {
        chineseWords.index(of: word.utf8) != nil && chineseProperNames.index(of: word.utf8) == nil
    }

    /// Whether the UTF-8 bytes `word` are an English dictionary word (as `isEnglishWord(_:)`).
    public static func isEnglishWord(utf8 word: ArraySlice<UInt8>) -> Bool {
        englishWords.index(of: word) != nil
    }

    /// Whether the UTF-8 bytes `word` are an English dictionary word (as `isEnglishWord(_:)`), read in place.
    ///
    /// A word of up to 8 bytes (most of a description's) is asked of `shortEnglishWords`, packed: one memory
    /// access instead of three.
    static func isEnglishWord(utf8 word: UnsafeBufferPointer<UInt8>) -> Bool {
        word.count <= PackedWordSet.maxLength ? shortEnglishWords.contains(word) : englishWords.contains(word)
    }

    /// Frequency of a common Chinese word (2 to 4 Han characters, simplified), or nil.
    ///
    /// The words and frequencies are jieba's (about the 60,000 most frequent words of that length).
    public static func chineseWordFrequency(_ word: some StringProtocol) -> Int? {
        guard let index = chineseWords.index(of: word.utf8) else { return nil }
        return Int(chineseWords.values[index])
    }

    /// Frequency of a common Chinese word given as its UTF-8 bytes (as `chineseWordFrequency(_:)`), read in place.
    static func chineseWordFrequency(utf8 word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let index = chineseWords.index(of: word) else { return nil }
        return Int(chineseWords.values[index])
    }

    /// The sum of the frequencies of the common Chinese words (a word's probability is its frequency over this).
    public static let chineseWordTotal: Double = chineseWords.values.reduce(0) { $0 + Double($1) }

    /// Every Han scalar with readings, and its readings (for tables derived from them).
    static var pinyinEntries: [UInt32: [String]] { pinyinTable }

    // MARK: - Tables

    private static let pinyinTable: [UInt32: [String]] = {
        var table: [UInt32: [String]] = [:]
        table.reserveCapacity(27_000)
        for line in PinyinData.lines.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let space = line.firstIndex(of: UInt8(ascii: " ")),
                  let scalar = UInt32(Substring(line[..<space]), radix: 16)
            else { continue }
            let readings = line[line.index(after: space)...].split(separator: UInt8(ascii: ","))
            table[scalar] = readings.map { String(Substring($0)) }
        }
        return table
    }()

    private static let englishWords = WordTable(lines: EnglishWordsData.lines, hasValues: false)
    /// The words of `englishWords` of up to 8 bytes, packed (`isEnglishWord(utf8:)`).
    private static let shortEnglishWords = PackedWordSet(lines: EnglishWordsData.lines)
    private static let chineseWords = WordTable(lines: ChineseWordsData.lines, hasValues: true)
    private static let englishProperNames = WordTable(lines: EnglishProperNamesData.lines, hasValues: false)
    private static let chineseProperNames = WordTable(lines: ChineseProperNamesData.lines, hasValues: false)
}

extension Lexicon {
    /// A set of UTF-8 byte strings, each with an optional `Int32` value: open addressing over one shared byte
    /// buffer, so that a lookup hashes and compares the query's UTF-8 in place without allocating.
    struct WordTable: Sendable {
        private var bytes: [UInt8] = []     // every word, back to back
        private var ends: [Int32] = [0]     // word i occupies bytes[ends[i] ..< ends[i + 1]]
        private(set) var values: [Int32] = []
        private var slots: [Int32] = []     // 0 = empty, otherwise word index + 1
        private var mask = 0

        /// The number of words.
        var count: Int { ends.count - 1 }

        /// A set of byte strings (no values); a repeated word is stored once.
        init(words: [[UInt8]]) {
            var lines: [UInt8] = []
            for word in words {
                precondition(!word.contains(UInt8(ascii: "\n")), "a word may not hold a line break")
                lines += word
                lines.append(UInt8(ascii: "\n"))
            }
            self.init(lines: String(decoding: lines, as: UTF8.self), hasValues: false)
        }

        /// Whether `word` is in the set.
        @inline(__always)
        func contains(_ word: ArraySlice<UInt8>) -> Bool { index(of: word) != nil }

        /// Whether `word` is in the set (as `contains(_:)`), hashed and compared in place.
        @inline(__always)
        func contains(_ word: UnsafeBufferPointer<UInt8>) -> Bool { contains(word, hash: Self.hash(word)) }

        /// Parses one word a line, or with `hasValues` a word, a space and a decimal value. Empty lines are
        /// skipped; a repeated word keeps its first value.
        init(lines: String, hasValues: Bool) {
            var inWord = true
            var value: Int32 = 0
            func finishLine() {
                if Int(ends[ends.count - 1]) != bytes.count {
                    ends.append(Int32(bytes.count))
                    if hasValues { values.append(value) }
                }
                inWord = true
                value = 0
            }
            for byte in lines.utf8 {
                if byte == UInt8(ascii: "\n") {
                    finishLine()
                } else if hasValues && byte == UInt8(ascii: " ") {
                    inWord = false
                } else if inWord {
                    bytes.append(byte)
                } else {
                    value = value &* 10 &+ Int32(byte &- UInt8(ascii: "0"))
                }
            }
            finishLine()

            var capacity = 16
            while capacity < count * 2 { capacity *= 2 }
            mask = capacity - 1
            slots = [Int32](repeating: 0, count: capacity)
            for word in 0..<count {
                let range = Int(ends[word])..<Int(ends[word + 1])
                var slot = Self.slot(Self.hash(bytes[range]), mask: mask)
                while slots[slot] != 0 {
                    let other = Int(slots[slot]) - 1
                    if bytes[Int(ends[other])..<Int(ends[other + 1])].elementsEqual(bytes[range]) { break }
                    slot = (slot + 1) & mask
                }
                if slots[slot] == 0 { slots[slot] = Int32(word + 1) }
            }
        }

        /// The index of `word` (its UTF-8), or nil when absent.
        @inline(__always)
        func index<C: Collection>(of word: C) -> Int? where C.Element == UInt8 {
            if let found = word.withContiguousStorageIfAvailable({ find($0) }) { return found }
            return find(word)
        }

        private func find<C: Collection>(_ word: C) -> Int? where C.Element == UInt8 {
            let hash = Self.hash(word)
            let length = word.count
            var slot = Self.slot(hash, mask: mask)
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return nil }
                let start = Int(ends[entry - 1]), end = Int(ends[entry])
                if end - start == length && bytes[start..<end].elementsEqual(word) { return entry - 1 }
                slot = (slot + 1) & mask
            }
        }

        /// 64-bit FNV-1a (`hashBasis` extended by `hashStep` over the bytes): the hash `contains(_:hash:)` takes.
        @inline(__always)
        static func hash<C: Collection>(_ word: C) -> UInt64 where C.Element == UInt8 {
            var hash = hashBasis
            for byte in word { hash = hashStep(hash, byte) }
            return hash
        }

        /// The hash of the empty string; `hashStep` extends a hash by one byte, so that a caller trying every
        /// prefix of a string hashes it once (`contains(_:hash:)`).
        static let hashBasis: UInt64 = 0xcbf2_9ce4_8422_2325

        @inline(__always)
        static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
            (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }

        /// Whether `word` is in the set, given its hash (`hashBasis` extended by `hashStep` over its bytes).
        @inline(__always)
        func contains(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
            var slot = Self.slot(hash, mask: mask)
            return bytes.withUnsafeBufferPointer { stored in
                while true {
                    let entry = Int(slots[slot])
                    if entry == 0 { return false }
                    let start = Int(ends[entry - 1]), end = Int(ends[entry])
                    if end - start == word.count {
                        var index = 0
                        while index < word.count, stored[start + index] == word[index] { index += 1 }
                        if index == word.count { return true }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }

        @inline(__always)
        private static func slot(_ hash: UInt64, mask: Int) -> Int {
            Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        }
    }
}
