/// The legal basis on which a mark is protected.
///
/// `wellKnown` marks are protected across all Nice classes; the others only within their `classes`.
public enum MarkKind: String, Sendable, Hashable, CaseIterable, Codable {
    case trademark
    case wellKnown = "well-known"
    case timeHonored = "time-honored"
    case geographicIndication = "geographic-indication"
}
