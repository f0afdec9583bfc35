/// A declared unit price below which goods bearing a mark are suspicious.
///
/// `currency` is an upper-case ISO 4217 code; `amount` is positive.
public struct PriceFloor: Sendable, Hashable, Codable {
    public var currency: String
    public var amount: Double

    public init(currency: String, amount: Double) {
        self.currency = currency
        self.amount = amount
    }
}
