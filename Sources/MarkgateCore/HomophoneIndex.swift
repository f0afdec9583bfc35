/// Finds Chinese names written with a same-sound character swapped in (`谷驰` for `古驰`, `兰扣` for `兰蔻`).
///
/// Names of 2 to 4 characters are indexed by the toneless pinyin of their characters (every combination of
/// readings, so that polyphonic characters match on any of theirs), folded as input methods' fuzzy-sound
/// settings fold the sounds southern speakers merge: zh/z, ch/c, sh/s, n/l, and -ang/-an, -eng/-en, -ing/-in
/// (`戴深` for `戴森`). A window of text of the same length matches when its readings agree, it differs from
/// the name in one character (two for names of four characters), and it is not itself a common word
/// (`三行` is a word, not a disguise of a name read `san xing`).
///
/// Readings are small syllable ids, folded once for every character (`readingTable`, a flat table by scalar);
/// a name's key packs one id per character into 16 bits of a `UInt64`, and a bit filter over the keys turns
/// away most windows before the dictionary is asked.
struct HomophoneIndex: Sendable {
    struct Found: Sendable, Hashable {
        var start: Int           // scalar index in the run
        var length: Int
        var name: Int
        var substitutions: Int
    }

    private let names: [[Unicode.Scalar]]
    /// The names under each key, by open addressing (no `Hasher`, no array to retain per lookup): a slot holds a
    /// key (0 for an empty slot: keys are never 0, reading ids start at 1) and the range of `postings` holding
    /// its names in register order. A key's first slot is the top bits of its `HashBitFilter.spread`.
    private var slots: [KeySlot]
    private var postings: [Int32] = []
    private let slotShift: UInt64
    /// One bit per indexed key: most windows miss it and never reach `slots`.
    private var filter: HashBitFilter
    private let lengths: [Int]
    /// For each scalar with readings (`ReadingTable`'s range, by `scalar - base`): bit `4 * (length - 2) + position`
    /// set when an indexed name of that length has the scalar at that position. A window differs from a name it
    /// matches in at most `allowed` characters, so one of its first `allowed + 1` is the name's own there: a window
    /// none of whose first characters is ever a name's at that place matches nothing, and is passed over before
    /// its keys are asked.
    private let anchors: [UInt16]
    private let isCommonWord: @Sendable (String) -> Bool

    /// Folded syllable ids of the Han scalars with readings (U+3400–U+9FFF), computed once: the ids of scalar
    /// `base + i` are `ids[starts[i]..<starts[i + 1]]`.
    struct ReadingTable: Sendable {
        static let base: UInt32 = 0x3400
        static let end: UInt32 = 0xA000
        let starts: [UInt32]
        let ids: [UInt16]

        /// The range of `ids` holding the readings of `scalar` (empty when it has none).
        @inline(__always)
        func range(of scalar: UInt32) -> Range<Int> {
            guard scalar >= Self.base, scalar < Self.end else { return 0..<0 }
            let index = Int(scalar - Self.base)
            return Int(starts[index])..<Int(starts[index + 1])
        }

        func readings(of scalar: UInt32) -> [UInt16] { Array(ids[range(of: scalar)]) }
    }

    static let readingTable: ReadingTable = {
        var idOfReading: [String: UInt16] = [:]
        var folded: [UInt32: [UInt16]] = [:]
        for (scalar, readings) in Lexicon.pinyinEntries
        where scalar >= ReadingTable.base && scalar < ReadingTable.end {
            var list: [UInt16] = []
            for reading in readings {
                let key = fold(reading)
                let id = idOfReading[key] ?? {
                    let next = UInt16(idOfReading.count + 1)
                    idOfReading[key] = next
                    return next
                }()
                if !list.contains(id) { list.append(id) }
            }
            folded[scalar] = list
        }
        var starts: [UInt32] = [0]
        var ids: [UInt16] = []
        starts.reserveCapacity(Int(ReadingTable.end - ReadingTable.base) + 1)
        for scalar in ReadingTable.base..<ReadingTable.end {
            ids += folded[scalar] ?? []
            starts.append(UInt32(ids.count))
        }
        return ReadingTable(starts: starts, ids: ids)
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
        var byKey: [UInt64: [Int32]] = [:]
        let table = Self.readingTable
        var anchors = [UInt16](repeating: 0, count: Int(ReadingTable.end - ReadingTable.base))
        for (index, name) in names.enumerated() where (2...4).contains(name.count) {
            let ranges = name.map { table.range(of: $0.value) }
            var any = false
            Self.forEachKey(ranges[...], ids: table.ids) { key in
                any = true
                byKey[key, default: []].append(Int32(index))
            }
            guard any else { continue }
            lengths.insert(name.count)
            // Every character of an indexed name has readings, so it is in the table's range.
            for (position, scalar) in name.enumerated() {
                anchors[Int(scalar.value - ReadingTable.base)] |= Self.anchorBit(length: name.count, position: position)
            }
        }
        self.anchors = anchors
        var log = 4
        while 1 << log < 2 * byKey.count { log += 1 }
        slotShift = UInt64(64 - log)
        slots = [KeySlot](repeating: KeySlot(), count: 1 << log)
        for key in byKey.keys.sorted() {
            let names = byKey[key]!
            var slot = Int(truncatingIfNeeded: HashBitFilter.spread(key) &>> slotShift)
            while slots[slot].key != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = KeySlot(key: key, start: UInt32(postings.count), count: UInt32(names.count))
            postings += names
        }
        filter = HashBitFilter(byKey.keys)
        self.lengths = lengths.sorted()
    }

    /// The bit of `anchors` for a name of `length` characters (2 to 4) holding a scalar at `position`.
    @inline(__always)
    static func anchorBit(length: Int, position: Int) -> UInt16 {
        1 << UInt16(4 * (length - 2) + position)
    }

    /// A slot of the key table: `key` (0 when empty) owns `postings[start ..< start + count]`.
    struct KeySlot {
        var key: UInt64 = 0
        var start: UInt32 = 0
        var count: UInt32 = 0
    }

    /// The names under `key`, a range of `postings` (empty when none); `shift` is the table's `slotShift`.
    @inline(__always)
    private static func names(under key: UInt64, slots: UnsafeBufferPointer<KeySlot>, shift: UInt64) -> Range<Int> {
        precondition(slots.count.nonzeroBitCount == 1 && shift == UInt64(64 - slots.count.trailingZeroBitCount),
                     "a key table of a power of two slots, addressed by its top bits")
        var slot = Int(truncatingIfNeeded: HashBitFilter.spread(key) &>> shift)
        while true {
            let stored = slots[slot]
            if stored.key == key { return Int(stored.start)..<Int(stored.start) + Int(stored.count) }
            if stored.key == 0 { return 0..<0 }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// Calls `body` with each packed key of a run of characters' readings (ranges into `ids`): every
    /// combination, at most 16, in order (the first reading varying slowest); none if one has none. Windows
    /// are at most 4 characters (16 bits each).
    @inline(__always)
    static func forEachKey(_ ranges: ArraySlice<Range<Int>>, ids: [UInt16], _ body: (UInt64) -> Void) {
        ranges.withUnsafeBufferPointer { ranges in
            ids.withUnsafeBufferPointer { ids in forEachKey(ranges, ids: ids, body) }
        }
    }

    /// `forEachKey` over buffers, for the scan: a window is a slice of the run's buffer, not an `ArraySlice`
    /// (whose making and dropping retained and released the run's array for every window).
    @inline(__always)
    static func forEachKey(_ ranges: UnsafeBufferPointer<Range<Int>>, ids: UnsafeBufferPointer<UInt16>,
                           _ body: (UInt64) -> Void) {
        var combinations = 1
        for range in ranges {
            guard !range.isEmpty else { return }
            precondition(range.lowerBound >= 0 && range.upperBound <= ids.count, "readings outside the table")
            combinations *= range.count
        }
        if combinations == 1 {
            var key: UInt64 = 0
            for range in ranges { key = key << 16 | UInt64(ids[range.lowerBound]) }
            body(key)
            return
        }
        // Combination `c` read as a mixed-radix number, the last character's reading turning fastest: an
        // odometer over the readings, the key's 16 bits of a character replaced as its reading turns.
        precondition(ranges.count <= 4, "windows are at most 4 characters")
        var key: UInt64 = 0
        for range in ranges { key = key << 16 | UInt64(ids[range.lowerBound]) }
        body(key)
        var turned: (Int, Int, Int, Int) = (0, 0, 0, 0)     // readings turned, by position
        for _ in 1..<min(combinations, 16) {
            var position = ranges.count - 1
            while true {
                let range = ranges[position]
                let shift = UInt64(16 * (ranges.count - 1 - position))
                var reading = Self.digit(position, of: turned) + 1
                if reading == range.count { reading = 0 }
                Self.setDigit(position, of: &turned, to: reading)
                key = key & ~(0xFFFF << shift) | UInt64(ids[range.lowerBound + reading]) << shift
                // Fewer combinations are taken than there are, so a carry never passes the first character.
                if reading != 0 { break }
                position -= 1
            }
            body(key)
        }
    }

    @inline(__always)
    private static func digit(_ position: Int, of digits: (Int, Int, Int, Int)) -> Int {
        switch position {
        case 0: digits.0
        case 1: digits.1
        case 2: digits.2
        default: digits.3
        }
    }

    @inline(__always)
    private static func setDigit(_ position: Int, of digits: inout (Int, Int, Int, Int), to value: Int) {
        switch position {
        case 0: digits.0 = value
        case 1: digits.1 = value
        case 2: digits.2 = value
        default: digits.3 = value
        }
    }

    /// The most keys a window has: its first 16 combinations of readings (`forEachKey`).
    static let maxKeys = 16

    /// The longest name indexed, in characters (and so the widest window).
    static let maxLength = 4

    /// Writes the packed keys of a window of characters' readings (ranges into `ids`, each non-empty) to `keys`
    /// (room for `maxKeys`), in `forEachKey` order, and returns how many.
    ///
    /// The combinations a character at a time: each key so far followed by each of the character's readings,
    /// cut to the first `maxKeys` (the first combinations of the whole window start with those). Written from the
    /// back, so that a key is read before its place is taken.
    @inline(__always)
    static func writeKeys(_ ranges: UnsafeBufferPointer<Range<Int>>, ids: UnsafeBufferPointer<UInt16>,
                          into keys: UnsafeMutableBufferPointer<UInt64>) -> Int {
        precondition(keys.count >= maxKeys, "room for every key of a window")
        keys[0] = 0
        var count = 1
        for range in ranges {
            let readings = range.count
            precondition(readings > 0 && range.lowerBound >= 0 && range.upperBound <= ids.count,
                         "readings outside the table")
            if readings == 1 {
                let id = UInt64(ids[range.lowerBound])
                for index in 0..<count { keys[index] = keys[index] << 16 | id }
                continue
            }
            let next = min(maxKeys, count * readings)
            var index = next - 1
            while index >= 0 {
                let (parent, reading) = index.quotientAndRemainder(dividingBy: readings)
                keys[index] = keys[parent] << 16 | UInt64(ids[range.lowerBound + reading])
                index -= 1
            }
            count = next
        }
        return count
    }

    /// Homophone windows in a run of CJK scalars held in an array (as `find(in:)` over a buffer).
    func find(in run: [Unicode.Scalar]) -> [Found] {
        run.withUnsafeBufferPointer { find(in: $0) }
    }

    /// Packed keys of a run of characters' readings (as `forEachKey` yields them).
    static func keys(_ scalars: [Unicode.Scalar]) -> [UInt64] {
        var keys: [UInt64] = []
        forEachKey(scalars.map { readingTable.range(of: $0.value) }[...], ids: readingTable.ids) { keys.append($0) }
        return keys
    }

    /// Homophone windows in a run of CJK scalars (already normalized: simplified, no separators).
    ///
    /// Windows of each length are taken left to right. Each character's anchors (`anchors`) are read once a run,
    /// and a window none of whose first characters is anchored is passed over at once (most windows); only the
    /// others have their characters' readings looked up. A window of characters with one reading each is asked
    /// under its one key; one with a polyphonic character under each of its keys, written out in `forEachKey`
    /// order (`writeKeys`). All of it on the stack, nothing called per window but the filter's probe. The run is
    /// read in place (the screener's are slices of the text's scalars, decoded on the stack).
    func find(in run: UnsafeBufferPointer<Unicode.Scalar>) -> [Found] {
        guard let shortest = lengths.first, run.count >= shortest else { return [] }
        let table = Self.readingTable
        var found: [Found] = []
        // A window's characters' readings (ranges into `ids`), then each character's anchors and a window's keys.
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Self.maxLength) { ranges in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: run.count + Self.maxKeys) { room in
                let marks = UnsafeMutableBufferPointer(rebasing: room[..<run.count])
                let keys = UnsafeMutableBufferPointer(rebasing: room[run.count...])
                var anyAnchor: UInt64 = 0
                for (index, scalar) in run.enumerated() {
                    let value = scalar.value
                    marks[index] = value >= ReadingTable.base && value < ReadingTable.end
                        ? UInt64(anchors[Int(value - ReadingTable.base)]) : 0
                    anyAnchor |= marks[index]
                }
                guard anyAnchor != 0 else { return }
                filter.withProbe { filter in
                    slots.withUnsafeBufferPointer { slots in
                        postings.withUnsafeBufferPointer { postings in
                            table.ids.withUnsafeBufferPointer { ids in
                                // The candidates a window has met (under another of its keys), emptied for the next.
                                var seen: [Int32] = []
                                for length in lengths where length <= run.count {
                                    let shift = UInt64(4 * (length - 2))
                                    for start in 0...(run.count - length) {
                                        // One of the window's first characters (the first two; three for four
                                        // characters, two of which may differ) must be a name's own there.
                                        var anchored = marks[start] >> shift | marks[start + 1] >> (shift + 1)
                                        if length >= 4 { anchored |= marks[start + 2] >> (shift + 2) }
                                        guard anchored & 1 != 0 else { continue }
                                        // Its readings, asked only now: a character without any gives no key; a
                                        // window of characters with one reading each has one key, its first.
                                        var key: UInt64 = 0, single = true, read = true
                                        for offset in 0..<length {
                                            let range = table.range(of: run[start + offset].value)
                                            guard !range.isEmpty else {
                                                read = false
                                                break
                                            }
                                            precondition(range.lowerBound >= 0 && range.upperBound <= ids.count,
                                                         "readings outside the table")
                                            ranges.initializeElement(at: offset, to: range)
                                            key = key << 16 | UInt64(ids[range.lowerBound])
                                            if range.count > 1 { single = false }
                                        }
                                        guard read else { continue }
                                        if !seen.isEmpty { seen.removeAll(keepingCapacity: true) }
                                        let count: Int
                                        if single {
                                            keys[0] = key
                                            count = 1
                                        } else {
                                            count = Self.writeKeys(UnsafeBufferPointer(rebasing: ranges[..<length]),
                                                                   ids: ids, into: keys)
                                        }
                                        for index in 0..<count {
                                            guard filter.mightContain(keys[index]) else { continue }
                                            let under = Self.names(under: keys[index], slots: slots, shift: slotShift)
                                            guard !under.isEmpty else { continue }
                                            check(UnsafeBufferPointer(rebasing: postings[under]), start: start,
                                                  length: length, seen: &seen, into: &found)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return found

        /// Adds the candidates (not seen before in this window) that differ from it as a disguise does.
        func check(_ candidates: UnsafeBufferPointer<Int32>, start: Int, length: Int, seen: inout [Int32],
                   into found: inout [Found]) {
            let window = UnsafeBufferPointer(rebasing: run[start..<start + length])
            for candidate in candidates where !seen.contains(candidate) {
                seen.append(candidate)
                let name = names[Int(candidate)]
                var substitutions = 0
                for (a, b) in zip(name, window) where a != b { substitutions += 1 }
                let allowed = length >= 4 ? 2 : 1
                guard substitutions > 0, substitutions <= allowed,
                      !isCommonWord(String(scalars: window)) else { continue }
                found.append(Found(start: start, length: length, name: Int(candidate), substitutions: substitutions))
            }
        }
    }
}
