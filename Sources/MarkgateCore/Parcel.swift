/// A parcel: its items and who sends and receives it (contract §2). A seller's listing is a one-item parcel.
public struct Parcel: Sendable, Hashable, Codable {
    /// Waybill or inventory number.
    public var id: String
    public var consignor: String?
    public var consignee: String?
    public var items: [ParcelItem]

    public init(id: String, consignor: String? = nil, consignee: String? = nil, items: [ParcelItem]) {
        self.id = id
        self.consignor = consignor
        self.consignee = consignee
        self.items = items
    }
}
