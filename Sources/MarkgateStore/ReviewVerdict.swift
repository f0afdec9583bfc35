/// A reviewer's verdict on a flagged parcel: the goods were infringing (`confirmed`) or not (`false-alarm`).
///
/// A verdict is a row of its own in the case book's `reviews` chain, never an update of the decision; the
/// latest verdict on a parcel's latest decision is the one in force.
public enum ReviewVerdict: String, Sendable, CaseIterable {
    case confirmed
    case falseAlarm = "false-alarm"
}

/// A verdict as the case book holds it: its place in the reviews chain and the decision it rules on.
public struct ReviewRecord: Sendable, Hashable {
    public var seq: Int64
    public var parcel: String
    /// The `decisions` seq the verdict rules on (the parcel's latest decision when it was given).
    public var decisionSeq: Int64
    public var verdict: ReviewVerdict
    public var note: String
    public var reviewer: String
    public var recorded: String
    public var prevHash: String
    public var rowHash: String
}

/// A decision as the case book holds it (a row of `decisions`, without its chain hashes).
public struct RecordedDecision: Sendable, Hashable {
    public var seq: Int64
    public var runID: Int64
    public var parcel: String?
    public var source: String
    public var ordinal: Int64
    /// `clear`, `review`, `inspect` or `error`.
    public var kind: String
    public var score: Double?
    /// The contract §3 line as it was written out.
    public var decisionJSON: String
    /// The parcel as a contract §2 JSON Lines object.
    public var parcelJSON: String?
    public var recorded: String
}
