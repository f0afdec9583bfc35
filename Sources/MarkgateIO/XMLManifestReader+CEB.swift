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

    /// A numeric customs code through `table`; a code of `letters` letters upper-cased; anything else nil.
    static func code(_ text: String, table: [String: String], letters: Int) -> String? {
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return table[text] }
        // ASCII letters only, so bytes are characters (and no Unicode property needs looking up).
        guard text.utf8.count == letters, text.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A })
        else { return nil }
        return text.uppercased()
    }
}

/// The CEB head and item fields markgate reads, by element local name; other fields are skipped.
enum XMLField: String {
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

/// Field values of one head or item element, in the order read (a handful: searched in place).
struct XMLFieldValues {
    private var entries: [(field: XMLField, value: XMLParcelBuilder.Field)]
    /// The fields stored, one bit each (`XMLField.bit`): most look-ups are for a field that is absent.
    private var stored: UInt32 = 0

    init() {
        entries = []
        entries.reserveCapacity(8)   // one allocation for a usual head or item
    }

    subscript(field: XMLField) -> XMLParcelBuilder.Field? {
        guard stored & field.bit != 0 else { return nil }
        for entry in entries where entry.field == field { return entry.value }
        return nil
    }

    /// Stores a value; false when the field was given already (the first value stays).
    mutating func store(_ field: XMLField, _ value: XMLParcelBuilder.Field) -> Bool {
        guard stored & field.bit == 0 else { return false }
        stored |= field.bit
        entries.append((field, value))
        return true
    }
}

extension XMLField {
    /// A bit of its own, for sets of fields.
    var bit: UInt32 {
        switch self {
        case .logisticsNo: return 1 << 0
        case .copNo: return 1 << 1
        case .orderNo: return 1 << 2
        case .ebcName: return 1 << 3
        case .buyerName: return 1 << 4
        case .consignee: return 1 << 5
        case .currency: return 1 << 6
        case .gnum: return 1 << 7
        case .itemNo: return 1 << 8
        case .gname: return 1 << 9
        case .gmodel: return 1 << 10
        case .itemName: return 1 << 11
        case .itemDescribe: return 1 << 12
        case .gcode: return 1 << 13
        case .qty: return 1 << 14
        case .price: return 1 << 15
        case .country: return 1 << 16
        }
    }
}

// MARK: - One parcel

/// The parcel being read: its fields as they come, then its record.
struct XMLParcelBuilder {
    struct Field {
        var text: String
        var position: XMLTextPosition
    }

    /// An item element being read.
    struct ItemDraft {
        var position: XMLTextPosition
        var ordinal: Int
        var fields = XMLFieldValues()
        var attributes: [String: String] = [:]
        var text = ""
    }

    /// The kind of the parcel's child element being read.
    enum Section { case none, head, item, other }

    let format: XMLManifestFormat
    /// Position of the parcel's start tag.
    let start: XMLTextPosition
    private let attributes: [String: String]
    private var head = XMLFieldValues()
    private var items: [ParcelItem] = []
    private var itemCount = 0
    private var section = Section.none
    private var item: ItemDraft?
    /// The CEB field element being read (a child of a head or item element).
    private var field: (name: XMLField, position: XMLTextPosition)?
    private var problem: (position: XMLTextPosition, message: String)?

    init(format: XMLManifestFormat, start: XMLTextPosition, attributes: [String: String]) {
        self.format = format
        self.start = start
        self.attributes = attributes
    }

    /// The parcel id, once read.
    var id: String? {
        if format == .generic { return attribute("id") }
        for name in format.idFields {
            if let id = headValue(name) { return id }
        }
        return nil
    }

    /// Whether fields are read in the current section (a head or an item).
    var readsFields: Bool { section == .head || section == .item }

    /// Records a problem; the first one stands for the parcel.
    mutating func fail(at position: XMLTextPosition, _ message: String) {
        if problem == nil { problem = (position, message) }
    }

    /// Starts a child of the parcel element (depth 2); `attributes` are an item's in the generic format.
    mutating func startSection(_ kind: Section, at position: XMLTextPosition, attributes: [String: String]) {
        section = kind
        if kind == .item {
            itemCount += 1
            item = ItemDraft(position: position, ordinal: itemCount, attributes: attributes)
        }
    }

    /// Starts a CEB field element (depth 3, in a head or an item).
    mutating func startField(_ name: XMLField, at position: XMLTextPosition) {
        field = (name, position)
    }

    /// Ends the CEB field element being read, with its text.
    mutating func endField(text: String) {
        guard let done = field else { return }
        field = nil
        let value = Field(text: text, position: done.position)
        let stored = section == .head ? head.store(done.name, value) : item?.fields.store(done.name, value) ?? true
        if !stored { fail(at: done.position, "\(done.name.rawValue) given twice") }
    }

    /// Ends a child of the parcel element; `text` is a generic item's description as read.
    mutating func endSection(text: String) {
        if var draft = item {
            item = nil
            draft.text = text
            if format == .generic { finishGenericItem(draft) } else { finishCEBItem(draft) }
        }
        section = .none
    }

    /// The parcel, or the error record standing for it.
    mutating func record(file: String) -> ManifestRecord {
        let id = self.id
        if id == nil {
            fail(at: start, format.missingIDMessage)
        } else if items.isEmpty {
            fail(at: start, "\(format.parcelElement) without \(format.itemElement)")
        }
        if let problem {
            return .error(RecordError(parcel: id, location: SourceLocation(file: file, line: problem.position.line,
                                                                           column: problem.position.column),
                                      message: problem.message))
        }
        let consignor = format == .generic ? attribute("consignor") : headValue(.ebcName)
        var consignee = format == .generic ? attribute("consignee") : nil
        for name in format.consigneeFields where consignee == nil { consignee = headValue(name) }
        return .parcel(Parcel(id: id!, consignor: consignor, consignee: consignee, items: items),
                       source: SourceLocation(file: file, line: start.line, column: start.column))
    }

    // MARK: Items

    private mutating func finishCEBItem(_ draft: ItemDraft) {
        var problems: [(position: XMLTextPosition, message: String)] = []
        func value(_ name: XMLField) -> Field? {
            guard let field = draft.fields[name] else { return nil }
            let text = Self.trimmed(field.text)
            return text.isEmpty ? nil : Field(text: text, position: field.position)
        }
        func bad(_ name: XMLField, _ field: Field, _ expected: String) {
            problems.append((field.position, "bad \(name.rawValue) \"\(field.text)\": expected \(expected)"))
        }

        var parsed = ParcelItem(line: draft.ordinal, description: "")
        if let gnum = value(.gnum) {
            if let line = Self.lineNumber(gnum.text) { parsed.line = line } else { bad(.gnum, gnum, "a whole number from 1") }
        } else if format == .ceb311, let itemNo = value(.itemNo), let line = Self.lineNumber(itemNo.text) {
            parsed.line = line
        }
        var parts: [String] = []
        for name in format.descriptionFields {
            if let part = value(name), !parts.contains(part.text) { parts.append(part.text) }
        }
        if parts.isEmpty { problems.append((draft.position, format.missingDescriptionMessage)) }
        parsed.description = parts.count == 1 ? parts[0] : parts.joined(separator: " ")
        if let gcode = value(.gcode) {
            if ManifestFields.isHSCode(gcode.text) { parsed.hsCode = gcode.text } else { bad(.gcode, gcode, "6 to 10 digits") }
        }
        if let qty = value(.qty) {
            if let number = Self.number(qty.text) { parsed.quantity = number } else { bad(.qty, qty, "a number ≥ 0") }
        }
        if let price = value(.price) {
            if let number = Self.number(price.text) { parsed.unitPrice = number } else { bad(.price, price, "a number ≥ 0") }
        }
        if let currency = value(.currency)?.text ?? headValue(.currency) {
            parsed.currency = XMLManifestFormat.code(currency, table: XMLManifestFormat.customsCurrencies, letters: 3)
        }
        if let country = value(.country) {
            parsed.origin = XMLManifestFormat.code(country.text, table: XMLManifestFormat.customsCountries, letters: 2)
        }
        finish(parsed, problems)
    }

    private mutating func finishGenericItem(_ draft: ItemDraft) {
        var problems: [(position: XMLTextPosition, message: String)] = []
        func value(_ name: String) -> String? {
            guard let text = draft.attributes[name].map(Self.trimmed), !text.isEmpty else { return nil }
            return text
        }
        func bad(_ name: String, _ text: String, _ expected: String) {
            problems.append((draft.position, "bad \(name) \"\(text)\": expected \(expected)"))
        }

        var parsed = ParcelItem(line: draft.ordinal, description: Self.trimmed(draft.text))
        if parsed.description.isEmpty { problems.append((draft.position, format.missingDescriptionMessage)) }
        if let line = value("line") {
            if let number = Self.lineNumber(line) { parsed.line = number } else { bad("line", line, "a whole number from 1") }
        }
        if let hs = value("hs") {
            if ManifestFields.isHSCode(hs) { parsed.hsCode = hs } else { bad("hs", hs, "6 to 10 digits") }
        }
        if let qty = value("qty") {
            if let number = Self.number(qty) { parsed.quantity = number } else { bad("qty", qty, "a number ≥ 0") }
        }
        if let price = value("price") {
            if let number = Self.number(price) { parsed.unitPrice = number } else { bad("price", price, "a number ≥ 0") }
        }
        parsed.currency = value("currency")?.uppercased()
        parsed.origin = (value("origin") ?? attribute("origin"))?.uppercased()
        finish(parsed, problems)
    }

    /// Keeps the item, or records the first of its problems in document order.
    private mutating func finish(_ parsed: ParcelItem, _ problems: [(position: XMLTextPosition, message: String)]) {
        if let first = problems.min(by: { $0.position < $1.position }) {
            fail(at: first.position, first.message)
        } else if problem == nil {
            items.append(parsed)
        }
    }

    // MARK: Values

    private func headValue(_ name: XMLField) -> String? {
        guard let field = head[name] else { return nil }
        let text = Self.trimmed(field.text)
        return text.isEmpty ? nil : text
    }

    private func attribute(_ name: String) -> String? {
        guard let text = attributes[name].map(Self.trimmed), !text.isEmpty else { return nil }
        return text
    }

    /// The text without white space (Unicode White_Space) at either end.
    static func trimmed(_ text: String) -> String {
        // Most values begin and end with ASCII that is not space: no scalar need be decoded.
        if let first = text.utf8.first, let last = text.utf8.last, first < 0x80, last < 0x80,
           first != 0x20, last != 0x20, !(0x09...0x0D).contains(first), !(0x09...0x0D).contains(last) {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return text }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end && isSpace(scalars[start]) { scalars.formIndex(after: &start) }
        while end > start && isSpace(scalars[scalars.index(before: end)]) { scalars.formIndex(before: &end) }
        return String(scalars[start..<end])
    }

    /// Unicode White_Space, spelled out (the property lookup costs more than these comparisons).
    @inline(__always)
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func lineNumber(_ text: String) -> Int? {
        guard let number = Int(text), number >= 1 else { return nil }
        return number
    }

    static func number(_ text: String) -> Double? {
        guard let number = ManifestFields.number(text), number.isFinite, number >= 0 else { return nil }
        return number
    }
}
