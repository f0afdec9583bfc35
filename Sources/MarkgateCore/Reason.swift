/// One piece of evidence behind a score (contract §3, an element of `reasons`): which rule, what weight, why.
public struct Reason: Sendable, Hashable, Codable {
    public var rule: String
    public var weight: Double
    public var detail: String

    public init(rule: String, weight: Double, detail: String) {
        self.rule = rule
        self.weight = weight
        self.detail = detail
    }
}
