/// A hit that does not count, and why (contract §3, an element of `suppressed`).
///
/// Reasons: `class-mismatch` (goods outside the mark's classes), `generic-name` (an everyday word without
/// context), `licensee` (an authorised consignor), `segmentation` (the characters belong to other words).
public struct SuppressedHit: Sendable, Hashable, Codable {
    public var hit: Hit
    public var reason: String
    public var detail: String

    public init(hit: Hit, reason: String, detail: String) {
        self.hit = hit
        self.reason = reason
        self.detail = detail
    }
}
