/// One declared item of a parcel (contract §2): a manifest row or an `InventoryList` element.
public struct ParcelItem: Sendable, Hashable, Codable {
    /// Item number inside the parcel (`line_no`, or the row's order when absent), from 1.
    public var line: Int
    public var description: String
    /// HS code as declared, digits only (6 to 10).
    public var hsCode: String?
    public var quantity: Double?
    public var unitPrice: Double?
    /// Upper-case ISO 4217 code.
    public var currency: String?
    /// ISO 3166 alpha-2 origin country.
    public var origin: String?

    public init(line: Int, description: String, hsCode: String? = nil, quantity: Double? = nil,
                unitPrice: Double? = nil, currency: String? = nil, origin: String? = nil) {
        self.line = line
        self.description = description
        self.hsCode = hsCode
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.currency = currency
        self.origin = origin
    }
}
