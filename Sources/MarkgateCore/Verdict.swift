/// What to do with a parcel (contract §3, `decision`).
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    case clear
    case review
    case inspect
}
