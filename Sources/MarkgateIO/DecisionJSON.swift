import MarkgateCore

/// Writes decisions and error records as JSON Lines objects (contract §3), keys in the contract's order.
///
/// Objects are written as UTF-8 bytes appended to a buffer (`append`), which is what the screening
/// pipeline's workers do; `line` gives the same object as a `String`.
public enum DecisionJSON {
    /// One decision as a single-line JSON object.
    public static func line(_ decision: Decision) -> String {
        var out: [UInt8] = []
        append(decision, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// An error record standing in place of an unreadable record.
    public static func line(_ error: RecordError) -> String {
        var out: [UInt8] = []
        append(error, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one decision as a single-line JSON object (no line break).
    public static func append(_ decision: Decision, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        key("parcel", &out, first: true)
        string(decision.parcel, &out)
        key("decision", &out)
        string(decision.decision.rawValue, &out)
        key("score", &out)
        number(decision.score, &out)
        key("hits", &out)
        list(decision.hits, &out) { hit($0, &$1) }
        key("suppressed", &out)
        list(decision.suppressed, &out) { suppressed, out in
            hit(suppressed.hit, &out) { out in
                key("reason", &out)
                string(suppressed.reason, &out)
                key("detail", &out)
                string(suppressed.detail, &out)
            }
        }
        key("reasons", &out)
        list(decision.reasons, &out) { reason, out in
            out.append(UInt8(ascii: "{"))
            key("rule", &out, first: true)
            string(reason.rule, &out)
            key("weight", &out)
            number(reason.weight, &out)
            key("detail", &out)
            string(reason.detail, &out)
            out.append(UInt8(ascii: "}"))
        }
        key("register", &out)
        optionalString(decision.register, &out)
        key("rules", &out)
        optionalString(decision.rules, &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends one error record as a single-line JSON object (no line break).
    public static func append(_ error: RecordError, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        key("parcel", &out, first: true)
        optionalString(error.parcel, &out)
        key("error", &out)
        string(error.description, &out)
        key("source", &out)
        string("\(error.location.file):\(error.location.line)", &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func hit(_ hit: Hit, _ out: inout [UInt8], extra: (inout [UInt8]) -> Void = { _ in }) {
        out.append(UInt8(ascii: "{"))
        key("mark", &out, first: true)
        string(hit.mark, &out)
        key("name", &out)
        string(hit.name, &out)
        key("matched", &out)
        string(hit.matched, &out)
        if let line = hit.line {
            key("line", &out)
            out.append(contentsOf: String(line).utf8)
        }
        if let field = hit.field {
            key("field", &out)
            string(field, &out)
        }
        key("start", &out)
        out.append(contentsOf: String(hit.start).utf8)
        key("end", &out)
        out.append(contentsOf: String(hit.end).utf8)
        key("method", &out)
        string(hit.method.rawValue, &out)
        key("similarity", &out)
        number(hit.similarity, &out)
        extra(&out)
        out.append(UInt8(ascii: "}"))
    }

    private static func list<T>(_ items: [T], _ out: inout [UInt8], _ element: (T, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            element(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `"key":`, after a comma unless it is the object's first.
    @inline(__always)
    private static func key(_ name: StaticString, _ out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    private static func optionalString(_ text: String?, _ out: inout [UInt8]) {
        if let text { string(text, &out) } else { out.append(contentsOf: "null".utf8) }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as it is.
    public static func string(_ text: String) -> String {
        var out: [UInt8] = []
        string(text, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal: quotes, backslashes, control characters and U+2028/9
    /// escaped, every other byte as it is.
    static func string(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                // Copy the run of bytes that need no escape in one go.
                var end = index
                while end < bytes.count, bytes[end] >= 0x20, bytes[end] != 0x22, bytes[end] != 0x5C,
                      bytes[end] != 0xE2 {
                    end += 1
                }
                if end > index {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    continue
                }
                let byte = bytes[index]
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x00..<0x20: unicodeEscape(UInt32(byte), &out)
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    // U+2028 and U+2029 end lines in JavaScript.
                    unicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, &out)
                    index += 2
                default: out.append(byte)
                }
                index += 1
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func unicodeEscape(_ value: UInt32, _ out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
    }

    /// A JSON number: whole values without a fraction, others in Swift's shortest form.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func number(_ value: Double, _ out: inout [UInt8]) {
        out.append(contentsOf: number(value).utf8)
    }
}
