import CLibXML2

/// The attributes of a generic `<parcel>` or `<item>` that the reader uses (in no namespace, by local name);
/// the others are skipped.
///
/// Held in place, one optional `String` per name: no dictionary, no hashing, and the names compared where
/// libxml2 holds them.
struct XMLGenericAttributes {
    /// The attribute names read: a parcel's `id`, `consignor`, `consignee` and `origin`, an item's `line`, `hs`,
    /// `qty`, `price`, `currency` and `origin`.
    enum Name: String {
        case id, consignor, consignee, origin, line, hs, qty, price, currency
    }

    private var id: String?
    private var consignor: String?
    private var consignee: String?
    private var origin: String?
    private var line: String?
    private var hs: String?
    private var qty: String?
    private var price: String?
    private var currency: String?

    subscript(name: Name) -> String? {
        get {
            switch name {
            case .id: return id
            case .consignor: return consignor
            case .consignee: return consignee
            case .origin: return origin
            case .line: return line
            case .hs: return hs
            case .qty: return qty
            case .price: return price
            case .currency: return currency
            }
        }
        set {
            switch name {
            case .id: id = newValue
            case .consignor: consignor = newValue
            case .consignee: consignee = newValue
            case .origin: origin = newValue
            case .line: line = newValue
            case .hs: hs = newValue
            case .qty: qty = newValue
            case .price: price = newValue
            case .currency: currency = newValue
            }
        }
    }
}

extension XMLGenericAttributes.Name {
    /// The name a libxml2 local name (NUL-terminated UTF-8) spells, compared in place; nil for the others.
    init?(localName name: UnsafePointer<xmlChar>) {
        func named(_ text: StaticString) -> Bool { XMLName.equals(name, text) }
        switch name.pointee {
        case 0x63:   // c
            if named("consignor") { self = .consignor } else if named("consignee") { self = .consignee }
            else if named("currency") { self = .currency } else { return nil }
        case 0x68: if named("hs") { self = .hs } else { return nil }   // h
        case 0x69: if named("id") { self = .id } else { return nil }   // i
        case 0x6C: if named("line") { self = .line } else { return nil }   // l
        case 0x6F: if named("origin") { self = .origin } else { return nil }   // o
        case 0x70: if named("price") { self = .price } else { return nil }   // p
        case 0x71: if named("qty") { self = .qty } else { return nil }   // q
        default: return nil
        }
    }
}
