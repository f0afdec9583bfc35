/// Screens parcels: finds protected names, disguised or not, rules out those that do not count, and decides.
///
/// Built once from a register (and the HS → Nice class table), then immutable and `Sendable`: a class, so that
/// threads and closures share one instance instead of copying (and retaining) every table it holds.
///
/// Per text field: normalization, then three finders whose candidates compete for the text (where they
/// overlap, the one explaining most of it wins: length less a cost per edit):
/// - the exact automaton (`MarkMatcher`): names, variants and the pinyin of Chinese names;
/// - `LatinDisguiseMatcher`: typos, leetspeak, spaced-out letters, names glued to words;
/// - `HomophoneIndex`: Chinese names with a same-sound character swapped in.
/// A short Chinese name whose characters the best word segmentation gives to other words is ruled out
/// (`segmentation`).
///
/// Per parcel (contract §1): a hit does not count when the consignor is one of the mark's licensees
/// (`licensee`), when the HS code puts the goods outside the mark's classes and the mark is not well-known
/// (`class-mismatch`), or when it is one of the mark's generic names and neither a context word nor another
/// of its names appears in the parcel (`generic-name`). What counts is scored by `ScreeningPolicy`.
public final class Screener: Sendable {
    public let register: Register
    public let niceClasses: NiceClassTable
    public let rules: Rules
    let matcher: MarkMatcher
    let latin: LatinDisguiseMatcher
    let latinOwners: [[UInt8]: [MarkMatcher.Owner]]
    let homophones: HomophoneIndex
    let homophoneOwners: [MarkMatcher.Owner]
    let segmenter: ChineseSegmenter
    let licenseeKeys: [[String]]          // by mark
    let genericKeys: [Set<String>]        // by mark
    let contextKeys: [[String]]           // by mark
    let nameFacts: [Int: [String: NameFacts]]   // by mark, by name as written in the register
    let markIndex: [String: Int]                // by mark id
    /// The rules' slang terms as written, and an automaton over their normalized forms (pattern i is term i):
    /// one pass over an item's normalized text finds any of them, on word boundaries for Latin terms.
    let slangTerms: [String]
    let slang: Automaton
    let denylistKeys: [(party: Rules.ListedParty, key: String)]
    let allowlistKeys: [Int: [(pair: Rules.DecidedPair, key: String)]]   // by mark
    let riskyOrigins: Set<String>

    /// What the screener needs to know of a register name, worked out once when it is built.
    struct NameFacts: Sendable {
        /// Position among the mark's names and variants (ties between candidates go to the first).
        var order: Int
        /// One of the mark's generic names.
        var isGeneric: Bool
        /// Unicode scalars of its normalized form (short Chinese names must survive segmentation).
        var length: Int
    }

    /// What an edit costs against the length a candidate explains, when candidates overlap.
    static let bytesPerEdit = 3.0

    /// Frequency given to the register's Chinese names when segmenting text.
    static let nameFrequency = 5_000

    public init(register: Register, niceClasses: NiceClassTable = NiceClassTable(prefixes: [:]),
                rules: Rules = .builtIn) {
        self.register = register
        self.niceClasses = niceClasses
        self.rules = rules
        let matcher = MarkMatcher(register: register)
        self.matcher = matcher
        let normalizer = matcher.normalizer

        var latinOwners: [[UInt8]: [MarkMatcher.Owner]] = [:]
        var maxWords = 1
        var cjkNames: [[Unicode.Scalar]] = []
        var homophoneOwners: [MarkMatcher.Owner] = []
        var extraWords: [String: Int] = [:]
        for (markIndex, mark) in register.marks.enumerated() {
            let names = mark.names.map { ($0, false) } + mark.variants.map { ($0, true) }
            for (name, isVariant) in names {
                let key = normalizer.key(name)
                let owner = MarkMatcher.Owner(mark: markIndex, name: name, isVariant: isVariant)
                if let compact = LatinDisguiseMatcher.compactKey(key) {
                    latinOwners[compact, default: []].append(owner)
                    maxWords = max(maxWords, key.split(separator: " ").count)
                } else if case let readings = MarkMatcher.pinyin(of: key), !readings.isEmpty {
                    for syllables in readings {
                        let compact = Array(syllables.joined().utf8)
                        guard compact.count >= 5, !Lexicon.isEnglishWord(syllables.joined()) else { continue }
                        latinOwners[compact, default: []].append(
                            MarkMatcher.Owner(mark: markIndex, name: name, isVariant: false, derived: .pinyin))
                    }
                    cjkNames.append(Array(key.unicodeScalars))
                    homophoneOwners.append(owner)
                    extraWords[key] = max(Self.nameFrequency, Lexicon.chineseWordFrequency(key) ?? 0)
                }
            }
        }
        self.latinOwners = latinOwners
        var nameWords = Set<Substring>()
        for mark in register.marks {
            for name in mark.names + mark.variants {
                let words = normalizer.key(name).split(separator: " ")
                if words.count > 1 { nameWords.formUnion(words) }
            }
        }
        // Sorted, so that the index (and every tie it breaks by entry order) is the same in every process:
        // Dictionary order changes from run to run.
        let latinKeys = latinOwners.keys.sorted { $0.lexicographicallyPrecedes($1) }
        latin = LatinDisguiseMatcher(keys: latinKeys, maxWords: maxWords, nameWords: nameWords,
                                     isWord: { Lexicon.isEnglishWord(utf8: $0) })
        homophones = HomophoneIndex(names: cjkNames,
                                    isCommonWord: { Lexicon.chineseWordFrequency($0) != nil })
        self.homophoneOwners = homophoneOwners
        segmenter = ChineseSegmenter(extraWords: extraWords, frequency: { Lexicon.chineseWordFrequency(utf8: $0) },
                                     total: Lexicon.chineseWordTotal)
        licenseeKeys = register.marks.map { $0.licensees.map(normalizer.key).filter { !$0.isEmpty } }
        genericKeys = register.marks.map { Set($0.genericNames.map(normalizer.key)) }
        contextKeys = register.marks.map { $0.context.map(normalizer.key).filter { !$0.isEmpty } }
        var nameFacts: [Int: [String: NameFacts]] = [:]
        for (index, mark) in register.marks.enumerated() {
            for (position, name) in (mark.names + mark.variants).enumerated() where nameFacts[index]?[name] == nil {
                let key = normalizer.key(name)
                nameFacts[index, default: [:]][name] = NameFacts(
                    order: position, isGeneric: genericKeys[index].contains(key), length: key.unicodeScalars.count)
            }
        }
        self.nameFacts = nameFacts
        var markIndex: [String: Int] = [:]
        for (index, mark) in register.marks.enumerated() where markIndex[mark.id] == nil { markIndex[mark.id] = index }
        self.markIndex = markIndex
        let slangKeys = rules.slang.map { ($0, normalizer.key($0)) }.filter { !$0.1.isEmpty }
        slangTerms = slangKeys.map(\.0)
        slang = Automaton(patterns: slangKeys.map { Array($0.1.utf8) })
        denylistKeys = rules.denylist.map { ($0, normalizer.key($0.name)) }.filter { !$0.1.isEmpty }
        var allowlistKeys: [Int: [(pair: Rules.DecidedPair, key: String)]] = [:]
        for pair in rules.allowlist {
            let key = normalizer.key(pair.consignor)
            guard let mark = markIndex[pair.mark], !key.isEmpty else { continue }
            allowlistKeys[mark, default: []].append((pair, key))
        }
        self.allowlistKeys = allowlistKeys
        riskyOrigins = Set(rules.riskyOrigins.map { $0.uppercased() })
    }

    /// A name found in a field, before the parcel-level rules.
    struct Candidate {
        var start: Int                   // normalized bytes
        var end: Int
        var owner: MarkMatcher.Owner
        var method: MatchMethod
        var similarity: Double
        var edits: Double
        /// The name covers only part of the span (glued to a word): it yields the span to a whole name.
        var partial = false
    }

    /// The decision for one parcel.
    public func screen(_ parcel: Parcel) -> Decision {
        var found: [CountedHit] = []
        var suppressed: [SuppressedHit] = []
        var normalized = NormalizedText()
        // The first slang term in the parcel's text (its pattern), asked of each item's normalized text until one
        // holds one: the leftmost-longest match over the items' texts joined as ` text \n` is the first item's
        // with any, at the same place.
        var slangFound: Int? = nil
        // By index: an item is never copied (each of its strings retained, then released); hits name it by index.
        for index in parcel.items.indices {
            let (hits, ruledOut) = hits(in: parcel.items[index].description, line: parcel.items[index].line,
                                        field: "description", normalized: &normalized)
            if slangFound == nil, !slangTerms.isEmpty {
                slangFound = slang.leftmostLongest(in: normalized.bytes).first?.pattern
            }
            if !hits.isEmpty { found += hits.map { ($0.hit, $0.mark, index) } }
            if !ruledOut.isEmpty { suppressed += ruledOut }
        }

        // Parcel-level rules, non-generic names first (a generic name counts beside another of its names).
        // The consignor's key is read only by them and by the denylist: without hits or a denylist, none is made.
        var consignor = ""
        if let name = parcel.consignor, !found.isEmpty || !denylistKeys.isEmpty {
            matcher.normalizer.normalize(name, into: &normalized, recordingOrigins: false)
            consignor = normalized.string
        }
        var counted: [CountedHit] = []
        var deferred: [CountedHit] = []
        for entry in found {
            let mark = register.marks[entry.mark]
            if !consignor.isEmpty, licenseeKeys[entry.mark].contains(where: { Self.sameParty(consignor, $0) }) {
                suppressed.append(SuppressedHit(hit: entry.hit, reason: "licensee",
                                                detail: "consignor \(parcel.consignor ?? "") is a licensee of \(mark.id)"))
                continue
            }
            if !consignor.isEmpty,
               let decided = allowlistKeys[entry.mark]?.first(where: { Self.sameParty(consignor, $0.key) }) {
                let note = decided.pair.note.map { ": \($0)" } ?? ""
                suppressed.append(SuppressedHit(hit: entry.hit, reason: "allowlisted",
                                                detail: "\(mark.id) from consignor \(parcel.consignor ?? "") was "
                                                    + "ruled a false alarm\(note)"))
                continue
            }
            let hsCode = parcel.items[entry.item].hsCode
            if let classes = hsCode.flatMap(niceClasses.classes(forHS:)), !mark.classes.isEmpty,
               !classes.contains(where: mark.classes.contains) {
                if mark.kind != .wellKnown || facts(entry.mark, entry.hit.name).isGeneric {
                    suppressed.append(SuppressedHit(
                        hit: entry.hit, reason: "class-mismatch",
                        detail: ("HS \(hsCode ?? "") is class \(classes: classes); \(mark.id) is "
                            + "protected in \(classes: mark.classes)" as ReasonText).text))
                    continue
                }
            }
            if facts(entry.mark, entry.hit.name).isGeneric {
                deferred.append(entry)
            } else {
                counted.append(entry)
            }
        }
        // The parcel's text as a string (each item's normalized text as ` text \n`, `ParcelText`), made once for
        // every context word asked about (not once a word), and only for a parcel with a generic name to confirm.
        let text = deferred.isEmpty ? "" : parcelText(parcel, normalized: &normalized).string
        for entry in deferred {
            let mark = register.marks[entry.mark]
            let context = contextKeys[entry.mark].first { Self.contains(text, word: $0) }
            let otherName = counted.contains { $0.mark == entry.mark }
            if context != nil || otherName {
                counted.append(entry)
            } else {
                suppressed.append(SuppressedHit(
                    hit: entry.hit, reason: "generic-name",
                    detail: "\"\(entry.hit.name)\" is an everyday word; no context word of \(mark.id) in the parcel"))
            }
        }
        if counted.count > 1 {
            let items = parcel.items   // captured alone: a closure that captures the parcel copies it
            counted.sort { (items[$0.item].line, $0.hit.start) < (items[$1.item].line, $1.hit.start) }
        }
        return decide(parcel: parcel, counted: counted, suppressed: suppressed, slang: slangFound,
                      consignor: consignor)
    }

    /// The parcel's items' normalized texts as one `ParcelText`.
    func parcelText(_ parcel: Parcel, normalized: inout NormalizedText) -> ParcelText {
        var text = ParcelText()
        for item in parcel.items {
            matcher.normalizer.normalize(item.description, into: &normalized, recordingOrigins: false)
            text.append(normalized.bytes)
        }
        return text
    }

    /// The hits in one text field, and those ruled out there (segmentation), with original offsets.
    func hits(in text: String, line: Int?, field: String?,
              normalized: inout NormalizedText) -> (hits: [(hit: Hit, mark: Int)], suppressed: [SuppressedHit]) {
        // The bytes alone: the way back to the text is made (by normalizing it again, to the same bytes) only for
        // a text that names something, which most do not.
        matcher.normalizer.normalize(text, into: &normalized, recordingOrigins: false)
        let bytes = normalized.bytes
        func recordOrigins(_ normalized: inout NormalizedText) {
            guard !normalized.hasOrigins else { return }
            matcher.normalizer.normalize(text, into: &normalized, recordingOrigins: true)
        }
        var candidates: [Candidate] = []

        // Exact names, variants and pinyin. The text's scalars give the characters a hit matched: most texts
        // have none, so they are made only for the first.
        var scalarStorage: [Unicode.Scalar]? = nil
        func scalars() -> [Unicode.Scalar] {
            if let made = scalarStorage { return made }
            let made = Array(text.unicodeScalars)
            scalarStorage = made
            return made
        }
        let matches = matcher.automaton.leftmostLongest(in: bytes)
        if !matches.isEmpty {
            recordOrigins(&normalized)
            matcher.forEachOwner(of: matches, in: normalized, scalars: scalars()) { match, owner, _, method in
                candidates.append(Candidate(start: match.start, end: match.end, owner: owner, method: method,
                                            similarity: 1, edits: 0))
            }
        }
        // Latin disguises.
        for found in latin.find(in: bytes) {
            for owner in latinOwners[found.key] ?? [] {
                let edits = Double(found.distance) + 0.5 * Double(found.leetSubstitutions)
                let plain = found.distance == 0 && found.leetSubstitutions == 0
                let method: MatchMethod = plain ? (owner.derived ?? .normalized) : .fuzzy
                let similarity = max(0, 1 - edits / Double(max(found.key.count, 1)))
                candidates.append(Candidate(start: found.start, end: found.end, owner: owner, method: method,
                                            similarity: Self.round(similarity), edits: edits, partial: found.glued))
            }
        }
        // Chinese homophones, per run of CJK characters, read where they are decoded (on the stack).
        Self.forEachCJKRun(in: bytes) { run, starts in
            let windows = homophones.find(in: run)
            for found in windows {
                let last = found.start + found.length - 1
                let start = starts[found.start], end = starts[last] + UTF8.width(run[last])
                let similarity = 1 - Double(found.substitutions) / Double(found.length) / 2
                candidates.append(Candidate(start: start, end: end, owner: homophoneOwners[found.name],
                                            method: .homophone, similarity: Self.round(similarity),
                                            edits: Double(found.substitutions)))
            }
        }

        // Where candidates overlap, the one that explains most of the text wins: its length less 3 bytes
        // per edit (`kubu mimxla` is the name `kubu mimula` with a typo, not the name `kubu` and noise), then
        // fewest edits, then leftmost.
        func explained(_ candidate: Candidate) -> Double {
            Double(candidate.end - candidate.start) - Self.bytesPerEdit * candidate.edits
        }
        // Most texts have no candidate and many one: sorting those would still make the array's storage unique
        // and enter the sort, so only two or more are sorted.
        if candidates.count > 1 {
            candidates.sort {
                if explained($0) != explained($1) { return explained($0) > explained($1) }
                if $0.edits != $1.edits { return $0.edits < $1.edits }
                if $0.partial != $1.partial { return !$0.partial }
                if $0.start != $1.start { return $0.start < $1.start }
                // A total order, so that ties (one text, two names of a mark) resolve alike in every run:
                // register order of marks, then of names.
                if $0.owner.mark != $1.owner.mark { return $0.owner.mark < $1.owner.mark }
                return facts($0.owner.mark, $0.owner.name).order < facts($1.owner.mark, $1.owner.name).order
            }
        }
        var chosen: [Candidate] = []
        for candidate in candidates {
            let range = candidate.start..<candidate.end
            let rivals = chosen.filter { ($0.start..<$0.end).overlaps(range) }
            // A span already taken admits only equally good candidates for other marks (a shared name); a name
            // glued to a word is not as good as a whole name on the same span (`tiko` in `tikotiro`).
            let admitted = rivals.isEmpty || rivals.allSatisfy {
                $0.start == candidate.start && $0.end == candidate.end && $0.edits == candidate.edits
                    && $0.partial == candidate.partial && $0.owner.mark != candidate.owner.mark
            }
            if admitted { chosen.append(candidate) }
        }
        if chosen.count > 1 { chosen.sort { $0.start < $1.start } }

        var hits: [(hit: Hit, mark: Int)] = []
        var suppressed: [SuppressedHit] = []
        guard !chosen.isEmpty else { return (hits, suppressed) }
        recordOrigins(&normalized)
        // The runs as arrays, for segmenting the few that a candidate falls in.
        let runs = Self.cjkRuns(in: bytes)
        var boundaries: [Int: Set<Int>] = [:]    // by run index
        for candidate in chosen {
            let span = normalized.sourceRange(of: candidate.start..<candidate.end)
            let hit = Hit(mark: register.marks[candidate.owner.mark].id, name: candidate.owner.name,
                          matched: String(scalars: scalars()[span]), line: line, field: field,
                          start: span.lowerBound, end: span.upperBound, method: candidate.method,
                          similarity: candidate.similarity)
            // A short Chinese name must survive word segmentation of its run.
            if let runIndex = runs.firstIndex(where: { $0.byteRange.contains(candidate.start) }),
               candidate.end <= runs[runIndex].byteRange.upperBound,
               facts(candidate.owner.mark, candidate.owner.name).length <= 3, candidate.method != .pinyin {
                let run = runs[runIndex]
                let cuts = boundaries[runIndex] ?? segmenter.boundaries(of: run.scalars)
                boundaries[runIndex] = cuts
                let offsets = run.offsets
                let first = offsets.firstIndex(of: candidate.start)!
                let last = offsets.firstIndex(of: candidate.end)!
                if !cuts.contains(first) || !cuts.contains(last) {
                    let words = Self.segmented(run.scalars, cuts)
                    suppressed.append(SuppressedHit(hit: hit, reason: "segmentation",
                                                    detail: "the characters belong to other words: \(words)"))
                    continue
                }
            }
            hits.append((hit, candidate.owner.mark))
        }
        return (hits, suppressed)
    }

    /// The facts of a register name (every hit and candidate names one of the register's names).
    func facts(_ mark: Int, _ name: String) -> NameFacts {
        nameFacts[mark]?[name] ?? NameFacts(order: 0, isGeneric: false, length: 0)
    }

    /// A run of CJK scalars in normalized bytes, and the bytes it spans.
    struct CJKRun {
        var scalars: [Unicode.Scalar]
        var byteRange: Range<Int>

        /// The byte offset of each scalar, and of the run's end, from the scalars' UTF-8 widths.
        ///
        /// Made on each call (an array), not stored: only the few runs a candidate falls in are asked, and every
        /// run would otherwise allocate it.
        var offsets: [Int] {
            var offsets: [Int] = []
            offsets.reserveCapacity(scalars.count + 1)
            var offset = byteRange.lowerBound
            for scalar in scalars {
                offsets.append(offset)
                offset += UTF8.width(scalar)
            }
            offsets.append(offset)
            return offsets
        }
    }

    /// The runs of CJK scalars in normalized bytes, in text order, as arrays (for the texts with a candidate to
    /// segment; the homophone search reads them on the stack, `forEachCJKRun`).
    ///
    /// Each run `forEachCJKRun` finds (decoded once into room on the stack) is copied into an array at its size
    /// (its offsets are worked out from its scalars when asked). Room sized by the bytes left, for every run, would
    /// be quadratic in memory on a long text of many short runs (`cjkRunStorageStaysInProportionToTheRun`), and
    /// growing by appends reallocated the array several times a run.
    static func cjkRuns(in bytes: [UInt8]) -> [CJKRun] {
        var runs: [CJKRun] = []
        forEachCJKRun(in: bytes) { scalars, starts in
            let last = scalars.count - 1
            runs.append(CJKRun(scalars: Array(scalars),
                               byteRange: starts[0]..<starts[last] + UTF8.width(scalars[last])))
        }
        return runs
    }

    /// Writes the CJK scalars of normalized bytes, and where each starts, to `scalars` and `starts` (room for
    /// `bytes.count / 3 + 1` each), in text order, and returns how many there are.
    ///
    /// Only leads of 0xE2 or more are decoded: every other byte (ASCII, a continuation byte, the lead of a
    /// scalar below U+2000) is passed over alone. A lead of 0xE5 to 0xE9 (U+5000 to U+9FFF, all Han) is CJK
    /// without asking `ScriptClass.isCJK`.
    static func cjkScalars(in bytes: UnsafeBufferPointer<UInt8>, scalars: UnsafeMutableBufferPointer<Unicode.Scalar>,
                           starts: UnsafeMutableBufferPointer<Int>) -> Int {
        precondition(scalars.count > bytes.count / 3 && starts.count > bytes.count / 3,
                     "room for a CJK scalar per three bytes")
        var count = 0
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            guard lead >= 0xE2 else {
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : 3
            guard index + length <= bytes.count else { break }
            var value = UInt32(lead) & (0x7F >> UInt32(length))
            for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
            if (lead &- 0xE5 < 5 || ScriptClass.isCJK(value)), let scalar = Unicode.Scalar(value) {
                precondition(count < scalars.count, "more CJK scalars than a third of the bytes")
                scalars.initializeElement(at: count, to: scalar)
                starts.initializeElement(at: count, to: index)
                count += 1
            }
            index += length
        }
        return count
    }

    /// Calls `body` with each run of CJK scalars in normalized bytes, in text order, and where each of its scalars
    /// starts in the bytes: slices of room on the stack (`cjkScalars`), valid only during the call.
    static func forEachCJKRun(in bytes: [UInt8],
                              _ body: (UnsafeBufferPointer<Unicode.Scalar>, UnsafeBufferPointer<Int>) -> Void) {
        // Every CJK scalar is U+2E80 or above: three or four UTF-8 bytes, led by 0xE2 or more.
        guard bytes.contains(where: { $0 >= 0xE2 }) else { return }
        bytes.withUnsafeBufferPointer { bytes in
            // A CJK scalar has three bytes or more: at most a third of the text's bytes are such.
            let capacity = bytes.count / 3 + 1
            withUnsafeTemporaryAllocation(of: Unicode.Scalar.self, capacity: capacity) { scalars in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { starts in
                    let count = cjkScalars(in: bytes, scalars: scalars, starts: starts)
                    let scalars = UnsafeBufferPointer(rebasing: scalars[..<count])
                    let starts = UnsafeBufferPointer(rebasing: starts[..<count])
                    forEachRun(scalars: scalars, starts: starts) { run in
                        body(UnsafeBufferPointer(rebasing: scalars[run]), UnsafeBufferPointer(rebasing: starts[run]))
                    }
                }
            }
        }
    }

    /// Calls `body` with the index range of each run of CJK scalars (as `cjkScalars` writes them): scalars that
    /// follow each other with no byte between.
    private static func forEachRun(scalars: UnsafeBufferPointer<Unicode.Scalar>, starts: UnsafeBufferPointer<Int>,
                                   _ body: (Range<Int>) -> Void) {
        precondition(scalars.count == starts.count, "a start for every scalar")
        var first = 0
        while first < scalars.count {
            var last = first
            while last + 1 < scalars.count, starts[last + 1] == starts[last] + UTF8.width(scalars[last]) { last += 1 }
            body(first..<last + 1)
            first = last + 1
        }
    }

    static func segmented(_ scalars: [Unicode.Scalar], _ cuts: Set<Int>) -> String {
        var text = ""
        for (index, scalar) in scalars.enumerated() {
            if index > 0, cuts.contains(index) { text += "|" }
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    /// Whether two normalized party names (`Normalizer.key`) are the same party: equal, or one of 6 characters
    /// or more holding the other. How consignors meet licensees, the denylist and the allowlist.
    public static func sameParty(_ a: String, _ b: String) -> Bool {
        // A string's characters are never more than its bytes: the byte count rules most out without counting.
        a == b || (a.utf8.count >= 6 && a.count >= 6 && holds(b, a))
            || (b.utf8.count >= 6 && b.count >= 6 && holds(a, b))
    }

    /// Whether normalized `text` holds normalized `part` as a run of whole characters (`String.contains`), with
    /// a byte search first.
    ///
    /// Both must be normalized (NFKC, as `Normalizer` makes them): then every character is in composed form,
    /// canonically equal characters have equal bytes, and a held part is always a run of the text's bytes. The
    /// byte search costs a few instructions a byte where the character-level search costs tens of thousands a
    /// call; it runs for every hit's consignor against each licensee, and for every parcel against each
    /// denylist entry.
    static func holds(_ text: String, _ part: String) -> Bool {
        guard bytesContain(text, part) else { return false }
        return text.contains(part)
    }

    /// Whether `needle`'s UTF-8 bytes occur in `haystack`'s (the empty string occurs everywhere).
    static func bytesContain(_ haystack: String, _ needle: String) -> Bool {
        firstByteMatch(of: needle, in: haystack) { _, _ in true }
    }

    /// Whether `needle`'s UTF-8 bytes occur in `haystack`'s at some start that `accept` takes (it is given the
    /// haystack's bytes and the start); an empty needle is taken at 0 without asking.
    static func firstByteMatch(of needle: String, in haystack: String,
                               where accept: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Bool {
        var haystack = haystack, needle = needle
        return haystack.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard let first = pin.first else { return true }
                guard pin.count <= hay.count else { return false }
                var start = 0
                let last = hay.count - pin.count
                while start <= last {
                    if hay[start] == first {
                        var offset = 1
                        while offset < pin.count && hay[start + offset] == pin[offset] { offset += 1 }
                        if offset == pin.count && accept(hay, start) { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }

    /// Whether normalized `text` holds `word`: anywhere for CJK, on word boundaries otherwise (a letter or
    /// digit may not touch it: `ipad` is not in `ipads2`, but is in `苹果ipad`).
    static func contains(_ text: String, word: String) -> Bool {
        guard let first = word.unicodeScalars.first else { return false }
        if ScriptClass.isCJK(first.value) { return holds(text, word) }
        let length = word.utf8.count
        return firstByteMatch(of: word, in: text) { bytes, start in
            let end = start + length
            let before = start == 0 ? 0 : Automaton.wordClass(before: start, in: bytes)
            let after = end == bytes.count ? 0 : Automaton.wordClass(at: end, in: bytes)
            return before == 0 && after == 0
        }
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
