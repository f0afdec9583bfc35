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
        out.append(#"{"parcel_id":"#)
        DecisionJSON.string(parcel.id, &out)
        if let consignor = parcel.consignor {
            out.append(#","consignor":"#)
            DecisionJSON.string(consignor, &out)
        }
        if let consignee = parcel.consignee {
            out.append(#","consignee":"#)
            DecisionJSON.string(consignee, &out)
        }
        out.append(#","items":["#)
        for (index, item) in parcel.items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(#"{"line_no":"#)
            JSONNumber.append(item.line, to: &out)
            out.append(#","description":"#)
            DecisionJSON.string(item.description, &out)
            if let hsCode = item.hsCode {
                out.append(#","hs_code":"#)
                DecisionJSON.string(hsCode, &out)
            }
            if let quantity = item.quantity {
                out.append(#","quantity":"#)
                JSONNumber.append(quantity, to: &out)
            }
            if let unitPrice = item.unitPrice {
                out.append(#","unit_price":"#)
                JSONNumber.append(unitPrice, to: &out)
            }
            if let currency = item.currency {
                out.append(#","currency":"#)
                DecisionJSON.string(currency, &out)
            }
            if let origin = item.origin {
                out.append(#","origin":"#)
                DecisionJSON.string(origin, &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append("]}")
    }

    /// One parcel as a single-line JSON object.
    public static func line(_ parcel: Parcel) -> String {
        JSONBytes.text { append(parcel, to: &$0) }
    }
}
