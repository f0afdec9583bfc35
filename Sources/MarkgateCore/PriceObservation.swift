/// A declared unit price below a mark's `min_unit_price` in the same currency: a counterfeit signal.
public struct PriceObservation: Sendable, Hashable, Codable {
    public var mark: String
    public var declared: Double
    public var floor: PriceFloor

    public init(mark: String, declared: Double, floor: PriceFloor) {
        self.mark = mark
        self.declared = declared
        self.floor = floor
    }

    /// For each hit mark with a floor in `currency`, the observation when `price` lies below it.
    ///
    /// Currencies are compared as given (upper-cased); conversion between currencies comes with the rules.
    public static func below(price: Double, currency: String, marks: [Mark]) -> [PriceObservation] {
        let code = currency.uppercased()
        var seen = Set<String>()
        return marks.compactMap { mark in
            guard seen.insert(mark.id).inserted,
                  let floor = mark.minUnitPrice.first(where: { $0.currency == code }),
                  price < floor.amount else { return nil }
            return PriceObservation(mark: mark.id, declared: price, floor: floor)
        }
    }
}
