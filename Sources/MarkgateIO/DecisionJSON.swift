import MarkgateCore

/// Writes decisions and error records as JSON Lines objects (contract §3), keys in the contract's order.
public enum DecisionJSON {
    /// One decision as a single-line JSON object.
    public static func line(_ decision: Decision) -> String {
        var out = "{"
        field("parcel", string(decision.parcel), into: &out, first: true)
        field("decision", string(decision.decision.rawValue), into: &out)
        field("score", number(decision.score), into: &out)
        field("hits", "[" + decision.hits.map { hit($0) }.joined(separator: ",") + "]", into: &out)
        field("suppressed", "[" + decision.suppressed.map {
            hit($0.hit, extra: [("reason", string($0.reason)), ("detail", string($0.detail))])
        }.joined(separator: ",") + "]", into: &out)
        field("reasons", "[" + decision.reasons.map { reason in
            "{\"rule\":\(string(reason.rule)),\"weight\":\(number(reason.weight)),\"detail\":\(string(reason.detail))}"
        }.joined(separator: ",") + "]", into: &out)
        field("register", decision.register.map(string) ?? "null", into: &out)
        field("rules", decision.rules.map(string) ?? "null", into: &out)
        return out + "}"
    }

    /// An error record standing in place of an unreadable record.
    public static func line(_ error: RecordError) -> String {
        var out = "{"
        field("parcel", error.parcel.map(string) ?? "null", into: &out, first: true)
        field("error", string(error.description), into: &out)
        field("source", string("\(error.location.file):\(error.location.line)"), into: &out)
        return out + "}"
    }

    static func hit(_ hit: Hit, extra: [(String, String)] = []) -> String {
        var out = "{"
        field("mark", string(hit.mark), into: &out, first: true)
        field("name", string(hit.name), into: &out)
        field("matched", string(hit.matched), into: &out)
        if let line = hit.line { field("line", String(line), into: &out) }
        if let name = hit.field { field("field", string(name), into: &out) }
        field("start", String(hit.start), into: &out)
        field("end", String(hit.end), into: &out)
        field("method", string(hit.method.rawValue), into: &out)
        field("similarity", number(hit.similarity), into: &out)
        for (key, value) in extra { field(key, value, into: &out) }
        return out + "}"
    }

    static func field(_ key: String, _ value: String, into out: inout String, first: Bool = false) {
        if !first { out += "," }
        out += "\"" + key + "\":" + value
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as it is.
    public static func string(_ text: String) -> String {
        // Most text needs no escape: no quote, backslash, control character or U+2028/9 (lead byte E2).
        if !text.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON number: whole values without a fraction, others in Swift's shortest form.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
