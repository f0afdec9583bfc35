/// Finds Latin names that exact matching misses: typos, leetspeak, letters spaced out, names glued to words.
///
/// Works on the ASCII tokens of normalized text (runs of `a-z`, `0-9`, `$`) and tries, against the compact
/// register names (letters and digits, no spaces):
/// - windows of space-separated tokens, one more than the widest name has words, joined (`louis uitton` → `louisuitton`), as they are and
///   with leetspeak undone (`n1ke` → `nike`, `herm35` → `hermes`, `$upreme` → `supreme`), exactly and
///   within the name's edit budget (`FuzzyIndex`);
/// - runs of three or more one-letter tokens (`z i p p o`, `n i k e` from `N.I.K.E`), and their sub-runs;
/// - a token that starts or ends with a name glued to a dictionary word (`nikeshoes`, `samsungheadphones`),
///   or, for names of 5 letters or more, to anything when the token is not itself a word (`moutaibaijiu`).
///
/// Quiet by design: a window whose tokens are all dictionary words (`prado`, `channel`, `carrier`, `bike`)
/// is never matched fuzzily or by joining, since an ordinary word is not a disguise; only exact matching
/// names it. Names of up to 4 letters match only exactly (no edit budget).
final class LatinDisguiseMatcher: Sendable {
    /// A candidate found: token span in normalized bytes, the compact key it matched, how.
    struct Found: Sendable, Hashable {
        var start: Int
        var end: Int
        var key: [UInt8]
        var distance: Int
        var leetSubstitutions: Int
        var joined: Bool
        /// The key is only part of the span: a name glued to a word (`nike` in `nikeshoes`).
        var glued = false
    }

    private let exactKeys: Lexicon.WordTable
    /// One bit per key's `Lexicon.WordTable` hash, a few kilobytes (the table is tens): asked first, it turns away
    /// most of the glued cuts and windows that are no key before the table is probed.
    private let exactKeyFilter: HashBitFilter
    private let fuzzy: FuzzyIndex
    private let minKey: Int
    private let maxKey: Int
    private let maxWords: Int
    /// The hashes (`FuzzyIndex.forEachDeletionHash`) of the words of multi-word names and of their
    /// one-deletion variants: a token one edit from a name word (`micheal`, `tone` for `tong`) shares one
    /// of these with it.
    private let nameWordNeighbourhood: Set<UInt64>
    /// One bit per hash of `nameWordNeighbourhood`: most tokens' hashes miss it and never reach the set.
    private let nameWordFilter: HashBitFilter
    private let isWord: @Sendable (UnsafeBufferPointer<UInt8>) -> Bool

    /// - Parameters:
    ///   - keys: compact keys of the Latin names (lower-case ASCII letters and digits).
    ///   - maxWords: the most words a name has (windows are one token wider).
    ///   - isWord: whether a token (lower-case ASCII bytes) is a dictionary word.
    ///   - nameWords: the words of the register's multi-word names (`louis`, `vuitton`).
    init(keys: [[UInt8]], maxWords: Int, nameWords: Set<Substring> = [],
         isWord: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Bool) {
        var neighbourhood = Set<UInt64>()
        for word in nameWords {
            Array(word.utf8).withUnsafeBufferPointer { bytes in
                FuzzyIndex.forEachDeletionHash(of: bytes, upTo: 1) { neighbourhood.insert($0) }
            }
        }
        nameWordNeighbourhood = neighbourhood
        nameWordFilter = HashBitFilter(neighbourhood)
        exactKeys = Lexicon.WordTable(words: keys)
        exactKeyFilter = HashBitFilter(keys.map(Lexicon.WordTable.hash))
        fuzzy = FuzzyIndex(keys: keys)
        minKey = keys.map(\.count).min() ?? 0
        maxKey = keys.map(\.count).max() ?? 0
        // One token more than the widest name: a name split in two (`pr ada`, `balen ciagasneakers`) spans one
        // token more than it has words.
        self.maxWords = max(2, min(maxWords + 1, 4))
        self.isWord = isWord
    }

    /// The compact key of a normalized name: its ASCII letters and digits; nil when it has anything else.
    static func compactKey(_ normalized: String) -> [UInt8]? {
        var key: [UInt8] = []
        for byte in normalized.utf8 {
            switch byte {
            case 0x61...0x7A, 0x30...0x39: key.append(byte)
            case 0x20: continue
            default: return nil
            }
        }
        return key.isEmpty ? nil : key
    }

    /// Whether `key`, whose `Lexicon.WordTable.hash` is `hash`, is a name's compact key: the filter first, then
    /// the table.
    @inline(__always)
    private func isExactKey(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, filter: HashBitFilter.Probe) -> Bool {
        filter.mightContain(hash) && exactKeys.contains(key, hash: hash)
    }

    /// Leetspeak digits and signs read as the letters they stand for.
    static func unleet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0"): UInt8(ascii: "o")
        case UInt8(ascii: "1"): UInt8(ascii: "i")
        case UInt8(ascii: "3"): UInt8(ascii: "e")
        case UInt8(ascii: "4"): UInt8(ascii: "a")
        case UInt8(ascii: "5"): UInt8(ascii: "s")
        case UInt8(ascii: "7"): UInt8(ascii: "t")
        case UInt8(ascii: "8"): UInt8(ascii: "b")
        case UInt8(ascii: "9"): UInt8(ascii: "g")
        case UInt8(ascii: "$"): UInt8(ascii: "s")
        default: nil
        }
    }

    /// Every candidate in `bytes` (normalized text), best first: fewest edits, then longest.
    func find(in bytes: [UInt8]) -> [Found] {
        bytes.withUnsafeBufferPointer { find(in: $0) }
    }

    /// What `find` knows of a token, worked out once (`wordBit`, `plainBit`, `quantityBit`, `adjacentBit`: it
    /// follows the token before after exactly one space) or on first use (`stopsWindow`).
    private static let wordBit: UInt8 = 1, plainBit: UInt8 = 2, stopsKnownBit: UInt8 = 4, stopsBit: UInt8 = 8,
                       adjacentBit: UInt8 = 16, quantityBit: UInt8 = 32

    /// Every candidate in `bytes` (normalized text), best first: fewest edits, then longest.
    ///
    /// A window or glued cut whose tokens can yield nothing (all plain words and numbers; no non-word token to
    /// cut) is passed over before its bytes are joined.
    func find(in bytes: UnsafeBufferPointer<UInt8>) -> [Found] {
        guard maxKey > 0 else { return [] }
        // The tokens, and their facts one byte each, on the stack for a text of ordinary length (no array to
        // allocate and free per text).
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Self.tokenCapacity(bytes.count)) { room in
            let count = Self.tokens(in: bytes, into: room)
            guard count > 0 else { return [] }
            let tokens = UnsafeBufferPointer(rebasing: room[..<count])
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { facts in
                // A window's joined tokens: disjoint parts of the text, never more bytes than it has.
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { room in
                    find(in: bytes, tokens: tokens, facts: facts, room: room)
                }
            }
        }
    }

    /// `find` with the text's tokens, room for their facts (`facts.count == tokens.count`) and room for a
    /// window's joined tokens (`room.count >= bytes.count`).
    private func find(in bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Range<Int>>,
                      facts: UnsafeMutableBufferPointer<UInt8>, room: UnsafeMutableBufferPointer<UInt8>) -> [Found] {
        precondition(facts.count == tokens.count, "one fact byte per token")
        precondition(room.count >= bytes.count, "room for a window of the whole text")
        var found: [Found] = []
        func text(_ token: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[token]) }

        // What each token is: a dictionary word; a quantity (`100ml`: plain, and it stops every window at once);
        // plain (a word, a number or a quantity); whether it follows the token before after exactly one space
        // (only such tokens form windows); and, for words of 4 letters or more, whether it stops a window (it may
        // not belong to a multi-word name: not one edit from one of its words), asked only when a window reaches it.
        for (index, token) in tokens.enumerated() {
            let adjacent = index > 0 && token.lowerBound == tokens[index - 1].upperBound + 1
                && bytes[tokens[index - 1].upperBound] == 0x20
            let token = text(token)
            let word = isWord(token)
            let adjacentFact = adjacent ? Self.adjacentBit : 0
            if !word, Self.isQuantity(token) {
                facts[index] = Self.plainBit | Self.quantityBit | Self.stopsKnownBit | Self.stopsBit | adjacentFact
                continue
            }
            let plain = word || token.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            facts[index] = (word ? Self.wordBit : 0) | (plain ? Self.plainBit : 0) | adjacentFact
        }
        func isWordToken(_ index: Int) -> Bool { facts[index] & Self.wordBit != 0 }
        func isPlain(_ index: Int) -> Bool { facts[index] & Self.plainBit != 0 }
        /// Whether a glued name may be cut out of the token: two bytes or more, neither a word nor a quantity.
        func isCuttable(_ index: Int) -> Bool {
            tokens[index].count >= 2 && facts[index] & (Self.wordBit | Self.quantityBit) == 0
        }
        func stopsWindow(_ index: Int) -> Bool {
            if facts[index] & Self.stopsKnownBit == 0 {
                let stops = isWordToken(index) && tokens[index].count >= 4 && !nearNameWord(text(tokens[index]))
                facts[index] |= Self.stopsKnownBit | (stops ? Self.stopsBit : 0)
            }
            return facts[index] & Self.stopsBit != 0
        }
        /// The tokens a window starting at `first` may reach: up to `maxWords`, while adjacent.
        func windowEnd(_ first: Int) -> Int {
            var end = first + 1
            let limit = min(tokens.count, first + maxWords)
            while end < limit, facts[end] & Self.adjacentBit != 0 { end += 1 }
            return end
        }

        /// Appends token `index` to the window in `room` holding `count` bytes; returns the new count.
        func extend(_ count: Int, with index: Int) -> Int {
            let token = text(tokens[index])
            precondition(count + token.count <= room.count, "a window within the text's bytes")
            _ = UnsafeMutableBufferPointer(rebasing: room[count ..< count + token.count]).initialize(fromContentsOf: token)
            return count + token.count
        }

        // Windows of whole tokens. One buffer (`room`) holds the window's joined tokens for every window. A window of
        // plain tokens only is never tried, so a first token whose reach is all plain starts none.
        var keyCount = 0
        for first in tokens.indices {
            let end = windowEnd(first)
            guard (first..<end).contains(where: { !isPlain($0) }) else { continue }
            keyCount = 0
            var allPlain = true
            for last in first..<end {
                keyCount = extend(keyCount, with: last)
                guard keyCount <= maxKey + 2 else { break }
                allPlain = allPlain && isPlain(last)
                if allPlain { continue }
                // An everyday word of 4 letters or more that no name is made of ends the window: the goods
                // words around a name (`kazomifu shoes`) are not part of it.
                if last > first, stopsWindow(last) { break }
                if last > first, first == last - 1, stopsWindow(first) { break }
                let span = (tokens[first].lowerBound, tokens[last].upperBound)
                match(UnsafeBufferPointer(rebasing: room[..<keyCount]), span: span, joined: last > first, into: &found)
            }
        }

        // Runs of one-letter tokens: `z i p p o`.
        var runStart = 0
        while runStart < tokens.count {
            var runEnd = runStart
            while runEnd < tokens.count, tokens[runEnd].count == 1,
                  runEnd == runStart || tokens[runEnd].lowerBound == tokens[runEnd - 1].upperBound + 1 {
                runEnd += 1
            }
            if runEnd - runStart >= 3 {
                for first in runStart..<runEnd - 2 {
                    for last in (first + 2)..<runEnd where last - first + 1 <= maxKey + 2 {
                        let key = tokens[first...last].map { bytes[$0.lowerBound] }
                        key.withUnsafeBufferPointer { key in
                            match(key, span: (tokens[first].lowerBound, tokens[last].upperBound), joined: true,
                                  into: &found)
                        }
                    }
                }
                runStart = runEnd
            } else {
                runStart = max(runEnd, runStart + 1)
            }
        }

        // Names glued to words: `nikeshoes`, `newnike`, `moutaibaijiu`, `ray bansunglasses` (the name ends
        // inside the window's last token, or starts inside its first). The token cut must be neither a word nor
        // a quantity (`isCuttable`). Only cuts leaving a head (or tail) of a length some name has can find one.
        // Without a glued tail (a cuttable first token of 5 or more), only a cuttable last token is cut: a first
        // token whose reach has none starts nothing.
        // The windows' buffer, `room`, again.
        exactKeyFilter.withProbe { keyFilter in
            var joinedCount = 0
            for first in tokens.indices {
                let gluedTail = tokens[first].count >= 5 && isCuttable(first)
                let end = windowEnd(first)
                guard gluedTail || (first..<end).contains(where: isCuttable) else { continue }
                joinedCount = 0
                var lastStart = 0
                for last in first..<end {
                    lastStart = joinedCount
                    joinedCount = extend(joinedCount, with: last)
                    guard joinedCount <= maxKey + 24 else { break }
                    let joined = UnsafeBufferPointer(rebasing: room[..<joinedCount])
                    let span = (tokens[first].lowerBound, tokens[last].upperBound)
                    if isCuttable(last) {
                        let from = max(lastStart + 1, 4, minKey), to = min(joined.count - 2, maxKey + 1)
                        if from < to {
                            var hash = Lexicon.WordTable.hashBasis
                            for index in 0..<from { hash = Lexicon.WordTable.hashStep(hash, joined[index]) }
                            for cut in from..<to {
                                defer { hash = Lexicon.WordTable.hashStep(hash, joined[cut]) }
                                guard isExactKey(UnsafeBufferPointer(rebasing: joined[..<cut]), hash: hash,
                                                 filter: keyFilter)
                                else { continue }
                                let tail = UnsafeBufferPointer(rebasing: joined[cut...])
                                let tailWord = isWord(tail) || tail.allSatisfy { $0 < 0x3A } || Self.isQuantity(tail)
                                if tailWord || cut >= 5 {
                                    found.append(Found(start: span.0, end: span.1, key: Array(joined[..<cut]),
                                                       distance: 0, leetSubstitutions: 0, joined: true, glued: true))
                                }
                            }
                        }
                    }
                    if gluedTail {
                        let from = max(3, joined.count - maxKey)
                        let to = min(tokens[first].count - 1, joined.count - 3, joined.count - minKey + 1)
                        if from < to {
                            for cut in from..<to {
                                let head = UnsafeBufferPointer(rebasing: joined[..<cut])
                                let tail = UnsafeBufferPointer(rebasing: joined[cut...])
                                if isExactKey(tail, hash: Lexicon.WordTable.hash(tail), filter: keyFilter),
                                   isWord(head) {
                                    found.append(Found(start: span.0, end: span.1, key: Array(tail), distance: 0,
                                                       leetSubstitutions: 0, joined: true, glued: true))
                                }
                            }
                        }
                    }
                }
            }
        }
        guard found.count > 1 else { return found }
        return found.sorted {
            if $0.distance + $0.leetSubstitutions != $1.distance + $1.leetSubstitutions {
                return $0.distance + $0.leetSubstitutions < $1.distance + $1.leetSubstitutions
            }
            if $0.end - $0.start != $1.end - $1.start { return $0.end - $0.start > $1.end - $1.start }
            if $0.start != $1.start { return $0.start < $1.start }
            return $0.key.lexicographicallyPrecedes($1.key)
        }
    }

    /// Whether a token is a word of a multi-word name or one edit from one.
    private func nearNameWord(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !nameWordNeighbourhood.isEmpty else { return false }
        var near = false
        nameWordFilter.withProbe { filter in
            FuzzyIndex.forEachDeletionHash(of: token, upTo: 1) { hash in
                guard !near else { return }
                if filter.mightContain(hash), nameWordNeighbourhood.contains(hash) { near = true }
            }
        }
        return near
    }

    /// Tries `key` exactly and fuzzily, as it is and with leetspeak undone.
    private func match(_ key: UnsafeBufferPointer<UInt8>, span: (Int, Int), joined: Bool, into found: inout [Found]) {
        guard key.count >= max(minKey - 2, 1) else { return }
        tryForm(key, substitutions: 0, span: span, joined: joined, into: &found)
        // Leetspeak keeps most letters (`z1pp0`, `herm35`); `100ml` and `2024` are not disguised names.
        let substitutions = key.count { Self.unleet($0) != nil }
        guard substitutions > 0 else { return }
        let letters = key.count { $0 >= 0x61 }
        guard letters >= substitutions else { return }
        // The form with leetspeak undone, on the stack.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: key.count) { plain in
            for (index, byte) in key.enumerated() { plain.initializeElement(at: index, to: Self.unleet(byte) ?? byte) }
            tryForm(UnsafeBufferPointer(plain), substitutions: substitutions, span: span, joined: joined, into: &found)
        }
    }

    /// Tries one form of a window: exact compact keys found by joining, or after undoing leetspeak (whole tokens
    /// matched exactly are the exact automaton's), else the names within their edit budget.
    private func tryForm(_ form: UnsafeBufferPointer<UInt8>, substitutions: Int, span: (Int, Int), joined: Bool,
                         into found: inout [Found]) {
        if joined || substitutions > 0,
           exactKeyFilter.withProbe({ isExactKey(form, hash: Lexicon.WordTable.hash(form), filter: $0) }) {
            found.append(Found(start: span.0, end: span.1, key: Array(form), distance: 0,
                               leetSubstitutions: substitutions, joined: joined))
            return
        }
        for hit in fuzzy.lookup(form) where hit.distance > 0 || substitutions > 0 || joined {
            found.append(Found(start: span.0, end: span.1, key: fuzzy.entries[hit.entry].key,
                               distance: hit.distance, leetSubstitutions: substitutions, joined: joined))
        }
    }

    /// Byte ranges of the ASCII tokens (`a-z`, `0-9`, `$`) of normalized text.
    static func tokens(in bytes: [UInt8]) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { tokens(in: $0) }
    }

    /// Byte ranges of the ASCII tokens (`a-z`, `0-9`, `$`) of normalized text.
    static func tokens(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        [Range<Int>](unsafeUninitializedCapacity: tokenCapacity(bytes.count)) { room, count in
            count = tokens(in: bytes, into: room)
        }
    }

    /// The most tokens a text of `byteCount` bytes can hold: a token and the byte after it, at most one token
    /// per two bytes (and one more at the end).
    static func tokenCapacity(_ byteCount: Int) -> Int { byteCount / 2 + 1 }

    /// Writes the byte ranges of the ASCII tokens of normalized text to the start of `room` (which must hold
    /// `tokenCapacity(bytes.count)`), and returns how many there are.
    ///
    /// Two tight loops, one over the bytes between tokens and one over a token's, so that a byte costs one test.
    /// Between tokens a scalar of three or four bytes (CJK, most of what lies there) is passed over whole: the
    /// text is valid UTF-8, so the bytes after its lead are continuation bytes, never a token's.
    static func tokens(in bytes: UnsafeBufferPointer<UInt8>, into room: UnsafeMutableBufferPointer<Range<Int>>) -> Int {
        precondition(room.count >= tokenCapacity(bytes.count), "room for every token of the text")
        var count = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard isTokenByte(byte) else {
                index += byte < 0xE0 ? 1 : byte < 0xF0 ? 3 : 4
                continue
            }
            let start = index
            index += 1
            while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
            room.initializeElement(at: count, to: start..<index)
            count += 1
        }
        return count
    }

    /// Whether a byte of normalized text belongs to a token: `a-z` (most of them, asked first), `0-9`, `$`. Any
    /// other byte from 0x3A up (every byte of a CJK character) is turned away by the second test.
    @inline(__always)
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        byte &- 0x61 < 26 || (byte < 0x3A && (byte >= 0x30 || byte == 0x24))
    }
}
