import CLibXML2
import Foundation
import MarkgateCore

/// The XML manifest formats (contract §2), told apart by the root element.
///
/// **CEB621** (`CEB621Message`, China cross-border e-commerce import inventory): one `Inventory` per parcel.
/// - `InventoryHead`: `logisticsNo` is the parcel id (`copNo` when it is absent or empty), `ebcName` the
///   consignor, `buyerName` the consignee, `currency` the default currency of the items.
/// - One item per `InventoryList`: the description joins `gname`, `gmodel` and `itemName` (the non-empty ones,
///   trimmed, each once, with a space), so that all of them are screened; `gcode` is the HS code, `price` the
///   unit price, `qty` the quantity, `country` the origin, `currency` the currency (over the head's), `gnum` the
///   line (else the item's position in the parcel).
///
/// **CEB311** (`CEB311Message`, order): one `Order` per parcel. `OrderHead`: `orderNo` is the id, `ebcName` the
/// consignor, `consignee` (else `buyerName`) the consignee, `currency` the default currency. One item per
/// `OrderList`: the description joins `itemName`, `gname`, `gmodel` and `itemDescribe`; `gcode` (rarely given),
/// `price`, `qty`, `country`, `currency` as above; the line is `gnum`, else `itemNo` when it is a whole number
/// (it is usually the seller's article number), else the position.
///
/// CEB elements are read in the namespace `http://www.chinaport.gov.cn/ceb` or in none; other elements are
/// skipped. Currencies and countries are the China customs numeric codes (`XMLManifestFormat.customsCurrencies`,
/// `customsCountries`); a three-letter (currency) or two-letter (country) code is taken as given, upper-cased;
/// an unknown numeric code is absent.
///
/// **Generic** (`manifest`, no namespace): `<parcel id= consignor= consignee= origin=>` with
/// `<item line= hs= qty= price= currency= origin=>description</item>`, attributes as in the CSV columns (an
/// item's `origin` over its parcel's).
///
/// In every format values are trimmed and empty ones are absent; `price` and `qty` must be numbers ≥ 0, HS codes
/// 6 to 10 digits, lines whole numbers from 1, each field given once. A parcel needs an id and at least one item,
/// and every item a description.
enum XMLManifestFormat: Equatable {
    case ceb621
    case ceb311
    case generic

    init?(root: XMLName) {
        switch (root.local, root.namespace) {
        case ("CEB621Message", .none), ("CEB621Message", .ceb): self = .ceb621
        case ("CEB311Message", .none), ("CEB311Message", .ceb): self = .ceb311
        case ("manifest", .none): self = .generic
        default: return nil
        }
    }

    static func unknownRootMessage(_ name: XMLName) -> String {
        var shown = "<\(name.local)>"
        switch name.namespace {
        case .none: break
        case .ceb: shown += " in namespace \(XMLName.cebNamespace)"
        case .other: shown += " in namespace \(name.otherNamespace ?? "")"
        }
        return "unknown root element \(shown): expected CEB621Message or CEB311Message (in namespace "
            + "\(XMLName.cebNamespace) or none) or manifest (in no namespace)"
    }

    /// Whether `name` is the element `local` of this format, in an accepted namespace.
    func accepts(_ name: XMLName, _ local: String) -> Bool {
        name.local == local && acceptsNamespace(of: name)
    }

    func acceptsNamespace(of name: XMLName) -> Bool {
        switch name.namespace {
        case .none: return true
        case .ceb: return self != .generic
        case .other: return false
        }
    }

    var parcelElement: String {
        switch self {
        case .ceb621: return "Inventory"
        case .ceb311: return "Order"
        case .generic: return "parcel"
        }
    }

    var headElement: String {
        switch self {
        case .ceb621: return "InventoryHead"
        case .ceb311: return "OrderHead"
        case .generic: return ""
        }
    }

    var itemElement: String {
        switch self {
        case .ceb621: return "InventoryList"
        case .ceb311: return "OrderList"
        case .generic: return "item"
        }
    }

    func isParcel(_ name: XMLName) -> Bool { accepts(name, parcelElement) }

    /// `parcelElement`, `headElement` and `itemElement` as C strings, compared with libxml2's names in place.
    var parcelTag: StaticString {
        switch self {
        case .ceb621: return "Inventory"
        case .ceb311: return "Order"
        case .generic: return "parcel"
        }
    }

    var headTag: StaticString {
        switch self {
        case .ceb621: return "InventoryHead"
        case .ceb311: return "OrderHead"
        case .generic: return ""
        }
    }

    var itemTag: StaticString {
        switch self {
        case .ceb621: return "InventoryList"
        case .ceb311: return "OrderList"
        case .generic: return "item"
        }
    }

    /// Head fields naming the parcel, first choice first.
    var idFields: [XMLField] {
        switch self {
        case .ceb621: return Self.ceb621IDs
        case .ceb311: return Self.ceb311IDs
        case .generic: return []
        }
    }

    var consigneeFields: [XMLField] {
        switch self {
        case .ceb621: return Self.ceb621Consignees
        case .ceb311: return Self.ceb311Consignees
        case .generic: return []
        }
    }

    /// Item fields joined into the description, in this order.
    var descriptionFields: [XMLField] {
        switch self {
        case .ceb621: return Self.ceb621Descriptions
        case .ceb311: return Self.ceb311Descriptions
        case .generic: return []
        }
    }

    private static let ceb621IDs: [XMLField] = [.logisticsNo, .copNo]
    private static let ceb311IDs: [XMLField] = [.orderNo]
    private static let ceb621Consignees: [XMLField] = [.buyerName]
    private static let ceb311Consignees: [XMLField] = [.consignee, .buyerName]
    private static let ceb621Descriptions: [XMLField] = [.gname, .gmodel, .itemName]
    private static let ceb311Descriptions: [XMLField] = [.itemName, .gname, .gmodel, .itemDescribe]

    var missingIDMessage: String {
        switch self {
        case .ceb621: return "Inventory without InventoryHead/logisticsNo or copNo"
        case .ceb311: return "Order without OrderHead/orderNo"
        case .generic: return "parcel without an id attribute"
        }
    }

    var missingDescriptionMessage: String {
        switch self {
        case .ceb621: return "InventoryList without gname, gmodel or itemName"
        case .ceb311: return "OrderList without itemName, gname, gmodel or itemDescribe"
        case .generic: return "item without a description"
        }
    }

    // MARK: Codes

    /// China customs currency codes (海关币制代码) → ISO 4217.
    static let customsCurrencies: [String: String] = [
        "110": "HKD", "116": "JPY", "121": "MOP", "129": "PHP", "132": "SGD", "133": "KRW", "136": "THB",
        "142": "CNY", "300": "EUR", "302": "DKK", "303": "GBP", "326": "NOK", "330": "SEK", "331": "CHF",
        "344": "RUB", "501": "CAD", "502": "USD", "601": "AUD", "609": "NZD",
    ]

    /// China customs country codes (海关国别代码) → ISO 3166 alpha-2: the countries of the currencies above and
    /// the main trading partners.
    static let customsCountries: [String: String] = [
        "110": "HK", "116": "JP", "121": "MO", "129": "PH", "132": "SG", "133": "KR", "136": "TH", "142": "CN",
        "143": "TW", "302": "DK", "303": "GB", "304": "DE", "305": "FR", "307": "IT", "309": "NL", "312": "ES",
        "326": "NO", "330": "SE", "331": "CH", "344": "RU", "501": "CA", "502": "US", "601": "AU", "609": "NZ",
    ]

    /// `customsCurrencies` and `customsCountries` indexed for look-ups by bytes.
    static let currencyCodes = XMLCustomsCodes(customsCurrencies)
    static let countryCodes = XMLCustomsCodes(customsCountries)

    /// A numeric customs code (the UTF-8 bytes of a trimmed value) through `table`; a code of `letters` ASCII
    /// letters upper-cased; anything else nil.
    static func code(_ bytes: UnsafeBufferPointer<UInt8>, table: XMLCustomsCodes, letters: Int) -> String? {
        if bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return table[bytes] }
        // ASCII letters only, so bytes are characters (and no Unicode property needs looking up).
        guard bytes.count == letters, bytes.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A })
        else { return nil }
        return String(unsafeUninitializedCapacity: letters) { upper in
            for index in 0..<letters { upper[index] = bytes[index] & 0xDF }
            return letters
        }
    }
}

/// The CEB head and item fields markgate reads, by element local name; other fields are skipped.
enum XMLField: String, CaseIterable {
    case logisticsNo, copNo, orderNo, ebcName, buyerName, consignee, currency
    case gnum, itemNo, gname, gmodel, itemName, itemDescribe, gcode, qty, price, country

    /// The field a libxml2 local name (NUL-terminated UTF-8) names, compared in place; nil for the others.
    init?(localName name: UnsafePointer<xmlChar>) {
        func named(_ text: StaticString) -> Bool { XMLName.equals(name, text) }
        switch name.pointee {
        case 0x62: if named("buyerName") { self = .buyerName } else { return nil }   // b
        case 0x63:   // c
            if named("currency") { self = .currency } else if named("country") { self = .country }
            else if named("copNo") { self = .copNo } else if named("consignee") { self = .consignee }
            else { return nil }
        case 0x65: if named("ebcName") { self = .ebcName } else { return nil }   // e
        case 0x67:   // g
            if named("gname") { self = .gname } else if named("gcode") { self = .gcode }
            else if named("gnum") { self = .gnum } else if named("gmodel") { self = .gmodel } else { return nil }
        case 0x69:   // i
            if named("itemName") { self = .itemName } else if named("itemNo") { self = .itemNo }
            else if named("itemDescribe") { self = .itemDescribe } else { return nil }
        case 0x6C: if named("logisticsNo") { self = .logisticsNo } else { return nil }   // l
        case 0x6F: if named("orderNo") { self = .orderNo } else { return nil }   // o
        case 0x70: if named("price") { self = .price } else { return nil }   // p
        case 0x71: if named("qty") { self = .qty } else { return nil }   // q
        default: return nil
        }
    }
}

extension XMLField {
    /// A number of its own from 0, for tables and sets of fields (below 17, the slots of `XMLFieldValues`).
    var index: Int {
        switch self {
        case .logisticsNo: return 0
        case .copNo: return 1
        case .orderNo: return 2
        case .ebcName: return 3
        case .buyerName: return 4
        case .consignee: return 5
        case .currency: return 6
        case .gnum: return 7
        case .itemNo: return 8
        case .gname: return 9
        case .gmodel: return 10
        case .itemName: return 11
        case .itemDescribe: return 12
        case .gcode: return 13
        case .qty: return 14
        case .price: return 15
        case .country: return 16
        }
    }

    /// The length of the element's local name (its `rawValue`, ASCII).
    var nameLength: Int {
        switch self {
        case .qty: return 3
        case .gnum: return 4
        case .copNo, .gname, .gcode, .price: return 5
        case .gmodel, .itemNo: return 6
        case .orderNo, .ebcName, .country: return 7
        case .currency, .itemName: return 8
        case .buyerName, .consignee: return 9
        case .logisticsNo: return 11
        case .itemDescribe: return 12
        }
    }

    /// A bit of its own, for sets of fields.
    var bit: UInt32 { 1 << UInt32(index) }
}
