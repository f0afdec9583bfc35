/// Weights and thresholds that turn hits into a verdict.
///
/// The built-in policy until analysts' rules files arrive: each mark named counts once, by its strongest
/// hit; a declared unit price below the mark's floor adds to it; the sum, capped at 1, is the score.
public struct ScreeningPolicy: Sendable, Hashable {
    /// Weight of a hit by how it was found.
    public var methodWeights: [MatchMethod: Double]
    /// Extra weight of a fuzzy hit per unit of similarity (a fuzzy hit weighs `fuzzy + this × similarity`).
    public var fuzzySimilarityWeight: Double
    /// Weight of a unit price below the mark's floor.
    public var priceBelowFloor: Double
    /// Scores from here are `review`, from `inspect` on `inspect`.
    public var review: Double
    public var inspect: Double

    public init(methodWeights: [MatchMethod: Double], fuzzySimilarityWeight: Double, priceBelowFloor: Double,
                review: Double, inspect: Double) {
        self.methodWeights = methodWeights
        self.fuzzySimilarityWeight = fuzzySimilarityWeight
        self.priceBelowFloor = priceBelowFloor
        self.review = review
        self.inspect = inspect
    }

    /// Any hit that counts is at least `review`; a disguise, a second signal or two marks make `inspect`.
    public static let builtIn = ScreeningPolicy(
        methodWeights: [.exact: 0.6, .normalized: 0.6, .traditional: 0.7, .variant: 0.8, .homoglyph: 0.8,
                        .pinyin: 0.7, .homophone: 0.7, .fuzzy: 0.4],
        fuzzySimilarityWeight: 0.3,
        priceBelowFloor: 0.3,
        review: 0.5,
        inspect: 0.8
    )

    /// A stable text of the policy, for its content hash (the `rules` field of decisions).
    public var canonicalText: String {
        let weights = MatchMethod.allCases.map { "\($0.rawValue)=\(methodWeights[$0] ?? 0)" }.joined(separator: ",")
        return "builtin;\(weights);fuzzy-similarity=\(fuzzySimilarityWeight);price=\(priceBelowFloor);"
            + "review=\(review);inspect=\(inspect)"
    }
}
