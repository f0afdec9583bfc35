/// Finds the protected names of a register in text: normalization, then the exact automaton.
///
/// Built once from a register (every name and variant, normalized, is a pattern) and then immutable and
/// `Sendable`: share one across threads. A name shared by several marks yields a hit for each.
///
/// ```swift
/// let matcher = MarkMatcher(register: register)
/// for hit in matcher.hits(in: "ＮＩＫＥ Air 正品耐克運動鞋") { print(hit.mark, hit.matched, hit.method) }
/// ```
public struct MarkMatcher: Sendable {
    /// A register name behind a pattern.
    struct Owner: Sendable, Hashable {
        var mark: Int
        var name: String
        var isVariant: Bool
        /// Set for patterns derived from a name rather than written in the register (`.pinyin`).
        var derived: MatchMethod?
    }

    public let register: Register
    public let normalizer: Normalizer
    public let automaton: Automaton
    let owners: [[Owner]]                 // by pattern

    /// Names that normalize to nothing (only punctuation or invisible characters) and so cannot match.
    public let unmatchableNames: [(mark: String, name: String)]

    /// Builds the matcher; `denseBudget` is the automaton's (see `Automaton.init`).
    public init(register: Register, normalizer: Normalizer = Normalizer(), denseBudget: Int = Automaton.defaultDenseBudget) {
        self.register = register
        self.normalizer = normalizer
        var patternOf: [String: Int] = [:]
        var patterns: [[UInt8]] = []
        var owners: [[Owner]] = []
        var unmatchable: [(mark: String, name: String)] = []
        func add(_ key: String, _ owner: Owner) {
            if let pattern = patternOf[key] {
                if !owners[pattern].contains(where: { $0.mark == owner.mark && $0.name == owner.name }) {
                    owners[pattern].append(owner)
                }
            } else {
                patternOf[key] = patterns.count
                patterns.append(Array(key.utf8))
                owners.append([owner])
            }
        }
        for (markIndex, mark) in register.marks.enumerated() {
            let names = mark.names.map { ($0, false) } + mark.variants.map { ($0, true) }
            for (name, isVariant) in names {
                let key = normalizer.key(name)
                guard !key.isEmpty else {
                    unmatchable.append((mark.id, name))
                    continue
                }
                add(key, Owner(mark: markIndex, name: name, isVariant: isVariant))
            }
        }
        // Chinese names written in toneless pinyin (`耐克` → `naike`, `nai ke`), when that is long enough
        // not to collide by chance and is not an English word.
        for (markIndex, mark) in register.marks.enumerated() {
            for name in mark.names {
                for syllables in Self.pinyin(of: normalizer.key(name)) {
                    let compact = syllables.joined()
                    guard compact.count >= 5, !Lexicon.isEnglishWord(compact) else { continue }
                    for key in [compact, syllables.joined(separator: " ")] {
                        add(key, Owner(mark: markIndex, name: name, isVariant: false, derived: .pinyin))
                    }
                }
            }
        }
        self.automaton = Automaton(patterns: patterns, denseBudget: denseBudget)
        self.owners = owners
        self.unmatchableNames = unmatchable
    }

    /// The hits in `text`, in text order.
    public func hits(in text: String) -> [Hit] {
        var normalized = NormalizedText()
        var matches: [Automaton.Match] = []
        return hits(in: text, normalized: &normalized, matches: &matches)
    }

    /// The hits in `text`, reusing the caller's buffers (for screening many texts on one thread).
    public func hits(in text: String, normalized: inout NormalizedText, matches: inout [Automaton.Match]) -> [Hit] {
        normalizer.normalize(text, into: &normalized)
        normalized.bytes.withUnsafeBufferPointer { automaton.leftmostLongest(in: $0, into: &matches) }
        guard !matches.isEmpty else { return [] }
        var hits: [Hit] = []
        forEachOwner(of: matches, in: normalized, scalars: Array(text.unicodeScalars)) { match, owner, matched, method in
            let span = normalized.sourceRange(of: match.start..<match.end)
            hits.append(Hit(mark: register.marks[owner.mark].id, name: owner.name, matched: matched,
                            start: span.lowerBound, end: span.upperBound, method: method))
        }
        return hits
    }

    /// Calls `body` for each register name behind each match: the match, the name's owner, the original
    /// characters matched (`scalars` of the text `normalized` came from) and how they matched.
    func forEachOwner(of matches: [Automaton.Match], in normalized: NormalizedText, scalars: [Unicode.Scalar],
                      _ body: (Automaton.Match, Owner, String, MatchMethod) -> Void) {
        for match in matches {
            let matched = String(scalars: scalars[normalized.sourceRange(of: match.start..<match.end)])
            let folds = normalized.flags(of: match.start..<match.end)
            for owner in owners[match.pattern] {
                body(match, owner, matched, Self.method(matched: matched, name: owner.name, isVariant: owner.isVariant,
                                                        folds: folds, derived: owner.derived))
            }
        }
    }

    /// The ways to read a name of two or more Han characters in toneless pinyin: every combination of its
    /// characters' readings (`欧米茄` → `ou mi jia`, `ou mi qie`), at most 8; empty for any other name.
    static func pinyin(of normalizedName: String) -> [[String]] {
        var readings: [[String]] = [[]]
        for scalar in normalizedName.unicodeScalars {
            let options = ScriptClass.isCJK(scalar.value) ? Lexicon.pinyin(of: scalar) : []
            guard !options.isEmpty else { return [] }
            readings = Array(readings.flatMap { prefix in options.map { prefix + [$0] } }.prefix(8))
        }
        return readings.first!.count >= 2 ? readings : []
    }

    /// The method to report: the strongest disguise the match went through.
    static func method(matched: String, name: String, isVariant: Bool, folds: FoldFlags,
                       derived: MatchMethod? = nil) -> MatchMethod {
        if let derived { return derived }
        if isVariant { return .variant }
        if matched.unicodeScalars.elementsEqual(name.unicodeScalars) { return .exact }
        if folds.contains(.homoglyph) { return .homoglyph }
        if folds.contains(.traditional) { return .traditional }
        return .normalized
    }
}
