import MarkgateCore

/// Writes a parcel as one contract §2 JSON Lines object, the form `JSONLinesManifestReader` reads back.
///
/// Keys in a fixed order (`parcel_id`, `consignor`, `consignee`, `items` with `line_no`, `description`,
/// `hs_code`, `quantity`, `unit_price`, `currency`, `origin`); absent values are left out. Numbers are written
/// in Swift's shortest round-trip form, so reading the object back gives the same parcel. The case book keeps
/// each decision's parcel this way, to replay it through other rules.
public enum ParcelJSON {
    /// Appends `parcel` as a single-line JSON object (no line break).
    public static func append(_ parcel: Parcel, to out: inout [UInt8]) {
        JSONBytes.write(into: &out) { append(parcel, to: &$0) }
    }

    static func append(_ parcel: Parcel, to out: inout JSONBytes) {
        literal(#"{"parcel_id":"#, &out)
        DecisionJSON.string(parcel.id, &out)
        if let consignor = parcel.consignor {
            literal(#","consignor":"#, &out)
            DecisionJSON.string(consignor, &out)
        }
        if let consignee = parcel.consignee {
            literal(#","consignee":"#, &out)
            DecisionJSON.string(consignee, &out)
        }
        literal(#","items":["#, &out)
        for (index, item) in parcel.items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            literal(#"{"line_no":"#, &out)
            JSONNumber.append(item.line, to: &out)
            literal(#","description":"#, &out)
            DecisionJSON.string(item.description, &out)
            if let hsCode = item.hsCode {
                literal(#","hs_code":"#, &out)
                DecisionJSON.string(hsCode, &out)
            }
            if let quantity = item.quantity {
                literal(#","quantity":"#, &out)
                JSONNumber.append(quantity, to: &out)
            }
            if let unitPrice = item.unitPrice {
                literal(#","unit_price":"#, &out)
                JSONNumber.append(unitPrice, to: &out)
            }
            if let currency = item.currency {
                literal(#","currency":"#, &out)
                DecisionJSON.string(currency, &out)
            }
            if let origin = item.origin {
                literal(#","origin":"#, &out)
                DecisionJSON.string(origin, &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        literal("]}", &out)
    }

    // Written into `JSONBytes`: this runs for every parcel screened with `--db`.

    @inline(__always)
    private static func literal(_ text: StaticString, _ out: inout JSONBytes) {
        out.append(text)
    }

    /// One parcel as a single-line JSON object.
    public static func line(_ parcel: Parcel) -> String {
        JSONBytes.text { append(parcel, to: &$0) }
    }
}
