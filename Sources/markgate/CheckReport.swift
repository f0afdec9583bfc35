import Foundation
import MarkgateCore

/// What `check` prints: the text with its hits marked, or the same as JSON.
struct CheckReport: Encodable {
    var text: String
    var hsCode: String?
    var hits: [Hit]
    var prices: [PriceObservation]
    /// Names the register lists as everyday words, by mark id (not encoded; shown in the annotation).
    var genericNames: [String: Set<String>] = [:]

    enum CodingKeys: String, CodingKey {
        case text
        case hsCode = "hs_code"
        case hits
        case reasons
    }

    /// A contract-style reason (§3); weights arrive with the rules file.
    struct Reason: Encodable {
        var rule: String
        var detail: String
    }

    var reasons: [Reason] {
        prices.map { observation in
            Reason(rule: "price-below-floor", detail: "unit price \(Self.format(observation.declared)) "
                + "\(observation.floor.currency) < \(Self.format(observation.floor.amount)) "
                + "\(observation.floor.currency) (\(observation.mark))")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encodeIfPresent(hsCode, forKey: .hsCode)
        try container.encode(hits, forKey: .hits)
        try container.encode(reasons, forKey: .reasons)
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The text with each hit between brackets (in color on a terminal), then one line per hit.
    func annotated(color: Bool) -> String {
        let open = color ? "\u{1B}[1;31m" : "[", close = color ? "\u{1B}[0m" : "]"
        var marked = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var position = 0
        for hit in hits where hit.start >= position {
            marked.append(contentsOf: scalars[position..<hit.start])
            marked.append(contentsOf: open.unicodeScalars)
            marked.append(contentsOf: scalars[hit.start..<hit.end])
            marked.append(contentsOf: close.unicodeScalars)
            position = hit.end
        }
        marked.append(contentsOf: scalars[position...])
        var lines = [String(marked)]
        if hits.isEmpty {
            lines.append("no protected mark found")
        }
        for hit in hits {
            let generic = genericNames[hit.mark]?.contains(hit.name) == true ? ", a generic name" : ""
            lines.append("  \(hit.mark)  \"\(hit.matched)\"  \(hit.start)..<\(hit.end)  \(hit.method.rawValue)"
                + "  (register name \"\(hit.name)\"\(generic))")
        }
        if let hsCode { lines.append("  HS \(hsCode)") }
        for reason in reasons { lines.append("  \(reason.rule): \(reason.detail)") }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
