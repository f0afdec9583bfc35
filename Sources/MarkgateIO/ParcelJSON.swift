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
        out.append(contentsOf: #"{"parcel_id":"#.utf8)
        DecisionJSON.string(parcel.id, &out)
        if let consignor = parcel.consignor {
            out.append(contentsOf: #","consignor":"#.utf8)
            DecisionJSON.string(consignor, &out)
        }
        if let consignee = parcel.consignee {
            out.append(contentsOf: #","consignee":"#.utf8)
            DecisionJSON.string(consignee, &out)
        }
        out.append(contentsOf: #","items":["#.utf8)
        for (index, item) in parcel.items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"line_no":"#.utf8)
            out.append(contentsOf: String(item.line).utf8)
            out.append(contentsOf: #","description":"#.utf8)
            DecisionJSON.string(item.description, &out)
            if let hsCode = item.hsCode {
                out.append(contentsOf: #","hs_code":"#.utf8)
                DecisionJSON.string(hsCode, &out)
            }
            if let quantity = item.quantity {
                out.append(contentsOf: #","quantity":"#.utf8)
                out.append(contentsOf: DecisionJSON.number(quantity).utf8)
            }
            if let unitPrice = item.unitPrice {
                out.append(contentsOf: #","unit_price":"#.utf8)
                out.append(contentsOf: DecisionJSON.number(unitPrice).utf8)
            }
            if let currency = item.currency {
                out.append(contentsOf: #","currency":"#.utf8)
                DecisionJSON.string(currency, &out)
            }
            if let origin = item.origin {
                out.append(contentsOf: #","origin":"#.utf8)
                DecisionJSON.string(origin, &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
    }

    /// One parcel as a single-line JSON object.
    public static func line(_ parcel: Parcel) -> String {
        var out: [UInt8] = []
        append(parcel, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
