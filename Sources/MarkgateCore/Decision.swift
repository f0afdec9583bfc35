/// The screening result for one parcel (contract §3): the verdict, its score, the evidence.
///
/// `hits` are the names that count; `suppressed` those found but ruled out, with the reason; `reasons` sum
/// to `score` (capped at 1). `register` and `rules` name the versions used (content hashes), set by the
/// caller that loaded them.
public struct Decision: Sendable, Hashable, Codable {
    public var parcel: String
    public var decision: Verdict
    public var score: Double
    public var hits: [Hit]
    public var suppressed: [SuppressedHit]
    public var reasons: [Reason]
    public var register: String?
    public var rules: String?

    public init(parcel: String, decision: Verdict, score: Double, hits: [Hit], suppressed: [SuppressedHit],
                reasons: [Reason], register: String? = nil, rules: String? = nil) {
        self.parcel = parcel
        self.decision = decision
        self.score = score
        self.hits = hits
        self.suppressed = suppressed
        self.reasons = reasons
        self.register = register
        self.rules = rules
    }
}
