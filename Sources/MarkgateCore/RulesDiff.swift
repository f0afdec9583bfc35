/// What a change of rules does to a manifest (shadow mode): the parcels whose decision changes, with the
/// reasons before and after, and the counts by change.
///
/// Fed one parcel at a time (`add`), with its decision under the old rules and under the new, so that a
/// manifest of any size is compared in one pass; only changed decisions are kept.
public struct RulesDiff: Sendable {
    /// One parcel whose verdict changes.
    public struct Change: Sendable {
        public var before: Decision
        public var after: Decision
        public var parcel: String { after.parcel }
        /// `review → clear`.
        public var label: String { "\(before.decision.rawValue) → \(after.decision.rawValue)" }
    }

    /// The parcels whose verdict changes, in input order.
    public private(set) var changes: [Change] = []
    /// How many parcels changed, by `before → after`.
    public private(set) var counts: [String: Int] = [:]
    /// Parcels compared, and those whose score changed but not their verdict.
    public private(set) var parcels = 0
    public private(set) var scoreOnly = 0

    public init() {}

    /// Compares one parcel's decisions under the old and the new rules.
    public mutating func add(before: Decision, after: Decision) {
        parcels += 1
        if before.decision != after.decision {
            let change = Change(before: before, after: after)
            changes.append(change)
            counts[change.label, default: 0] += 1
        } else if before.score != after.score {
            scoreOnly += 1
        }
    }
}
