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
        for (markIndex, mark) in register.marks.enumerated() {
            let names = mark.names.map { ($0, false) } + mark.variants.map { ($0, true) }
            for (name, isVariant) in names {
                let key = normalizer.key(name)
                guard !key.isEmpty else {
                    unmatchable.append((mark.id, name))
                    continue
                }
                let owner = Owner(mark: markIndex, name: name, isVariant: isVariant)
                if let pattern = patternOf[key] {
                    if !owners[pattern].contains(where: { $0.mark == markIndex && $0.name == name }) {
                        owners[pattern].append(owner)
                    }
                } else {
                    patternOf[key] = patterns.count
                    patterns.append(Array(key.utf8))
                    owners.append([owner])
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
        let scalars = Array(text.unicodeScalars)
        var hits: [Hit] = []
        for match in matches {
            let span = normalized.sourceRange(of: match.start..<match.end)
            var matched = String.UnicodeScalarView()
            matched.append(contentsOf: scalars[span])
            let matchedText = String(matched)
            let folds = normalized.flags(of: match.start..<match.end)
            for owner in owners[match.pattern] {
                hits.append(Hit(
                    mark: register.marks[owner.mark].id,
                    name: owner.name,
                    matched: matchedText,
                    start: span.lowerBound,
                    end: span.upperBound,
                    method: Self.method(matched: matchedText, name: owner.name, isVariant: owner.isVariant,
                                        folds: folds)
                ))
            }
        }
        return hits
    }

    /// The method to report: the strongest disguise the match went through.
    static func method(matched: String, name: String, isVariant: Bool, folds: FoldFlags) -> MatchMethod {
        if isVariant { return .variant }
        if matched.unicodeScalars.elementsEqual(name.unicodeScalars) { return .exact }
        if folds.contains(.homoglyph) { return .homoglyph }
        if folds.contains(.traditional) { return .traditional }
        return .normalized
    }
}
