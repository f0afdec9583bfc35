import MarkgateCore

/// Writes decisions and error records as JSON Lines objects (contract §3), keys in the contract's order.
///
/// Objects are written as UTF-8 bytes appended to a buffer (`append`), which is what the screening
/// pipeline's workers do; `line` gives the same object as a `String`.
public enum DecisionJSON {
    /// One decision as a single-line JSON object.
    public static func line(_ decision: Decision) -> String {
        JSONBytes.text { append(decision, to: &$0) }
    }

    /// An error record standing in place of an unreadable record.
    public static func line(_ error: RecordError) -> String {
        JSONBytes.text { append(error, to: &$0) }
    }

    /// Appends one decision as a single-line JSON object (no line break).
    public static func append(_ decision: Decision, to out: inout [UInt8]) {
        JSONBytes.write(into: &out) { append(decision, to: &$0) }
    }

    /// Appends one error record as a single-line JSON object (no line break).
    public static func append(_ error: RecordError, to out: inout [UInt8]) {
        JSONBytes.write(into: &out) { append(error, to: &$0) }
    }

    /// The register and rules hashes that every decision of a run carries, written as JSON once.
    ///
    /// `append(_:stamp:to:)` copies their bytes into each line instead of escaping the same two 71-byte strings
    /// for every decision, and copies the whole rest of a line that names nothing (most lines).
    public struct Stamp: Sendable {
        public let register: String?
        public let rules: String?
        /// `,"register":…,"rules":…}`: how every decision line ends.
        fileprivate let end: [UInt8]
        /// `,"hits":[],"suppressed":[],"reasons":[]` then `end`: the rest of a line with no hit, no ruled-out
        /// hit and no reason.
        fileprivate let emptyEnd: [UInt8]

        public init(register: String?, rules: String?) {
            self.register = register
            self.rules = rules
            var end: [UInt8] = []
            JSONBytes.write(into: &end) { DecisionJSON.end(register: register, rules: rules, &$0) }
            var emptyEnd: [UInt8] = []
            JSONBytes.write(into: &emptyEnd) { out in
                DecisionJSON.lists(hits: [], suppressed: [], reasons: [], &out)
            }
            self.end = end
            self.emptyEnd = emptyEnd + end
        }
    }

    /// Appends one decision as `append(_:to:)` does once its register and rules are `stamp`'s (whatever the
    /// decision's own are).
    public static func append(_ decision: Decision, stamp: Stamp, to out: inout [UInt8]) {
        JSONBytes.write(into: &out) { out in
            head(decision, &out)
            if decision.hits.isEmpty && decision.suppressed.isEmpty && decision.reasons.isEmpty {
                stamp.emptyEnd.withUnsafeBufferPointer { out.append($0) }
            } else {
                lists(hits: decision.hits, suppressed: decision.suppressed, reasons: decision.reasons, &out)
                stamp.end.withUnsafeBufferPointer { out.append($0) }
            }
        }
    }

    static func append(_ decision: Decision, to out: inout JSONBytes) {
        head(decision, &out)
        lists(hits: decision.hits, suppressed: decision.suppressed, reasons: decision.reasons, &out)
        end(register: decision.register, rules: decision.rules, &out)
    }

    /// `{"parcel":…,"decision":…,"score":…`: a decision line's start.
    private static func head(_ decision: Decision, _ out: inout JSONBytes) {
        out.append(UInt8(ascii: "{"))
        key("parcel", &out, first: true)
        string(decision.parcel, &out)
        key("decision", &out)
        // As `string(rawValue)` writes it, from a literal (no `String` made and scanned).
        switch decision.decision {
        case .clear: out.append("\"clear\"")
        case .review: out.append("\"review\"")
        case .inspect: out.append("\"inspect\"")
        }
        key("score", &out)
        JSONNumber.append(decision.score, to: &out)
    }

    /// `,"hits":[…],"suppressed":[…],"reasons":[…]`.
    private static func lists(hits: [Hit], suppressed: [SuppressedHit], reasons: [Reason], _ out: inout JSONBytes) {
        key("hits", &out)
        list(hits, &out) { hit($0, &$1) }
        key("suppressed", &out)
        list(suppressed, &out) { suppressed, out in
            hit(suppressed.hit, &out) { out in
                key("reason", &out)
                string(suppressed.reason, &out)
                key("detail", &out)
                string(suppressed.detail, &out)
            }
        }
        key("reasons", &out)
        list(reasons, &out) { reason, out in
            out.append(UInt8(ascii: "{"))
            key("rule", &out, first: true)
            string(reason.rule, &out)
            key("weight", &out)
            JSONNumber.append(reason.weight, to: &out)
            key("detail", &out)
            string(reason.detail, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `,"register":…,"rules":…}`: a decision line's end.
    private static func end(register: String?, rules: String?, _ out: inout JSONBytes) {
        key("register", &out)
        optionalString(register, &out)
        key("rules", &out)
        optionalString(rules, &out)
        out.append(UInt8(ascii: "}"))
    }

    static func append(_ error: RecordError, to out: inout JSONBytes) {
        out.append(UInt8(ascii: "{"))
        key("parcel", &out, first: true)
        optionalString(error.parcel, &out)
        key("error", &out)
        string(error.description, &out)
        key("source", &out)
        string("\(error.location.file):\(error.location.line)", &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func hit(_ hit: Hit, _ out: inout JSONBytes, extra: (inout JSONBytes) -> Void = { _ in }) {
        out.append(UInt8(ascii: "{"))
        key("mark", &out, first: true)
        string(hit.mark, &out)
        key("name", &out)
        string(hit.name, &out)
        key("matched", &out)
        string(hit.matched, &out)
        if let line = hit.line {
            key("line", &out)
            JSONNumber.append(line, to: &out)
        }
        if let field = hit.field {
            key("field", &out)
            string(field, &out)
        }
        key("start", &out)
        JSONNumber.append(hit.start, to: &out)
        key("end", &out)
        JSONNumber.append(hit.end, to: &out)
        key("method", &out)
        string(hit.method.rawValue, &out)
        key("similarity", &out)
        JSONNumber.append(hit.similarity, to: &out)
        extra(&out)
        out.append(UInt8(ascii: "}"))
    }

    private static func list<T>(_ items: [T], _ out: inout JSONBytes, _ element: (T, inout JSONBytes) -> Void) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            element(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `"key":`, after a comma unless it is the object's first.
    @inline(__always)
    private static func key(_ name: StaticString, _ out: inout JSONBytes, first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(name)
        out.append(UInt8(ascii: "\""), UInt8(ascii: ":"))
    }

    private static func optionalString(_ text: String?, _ out: inout JSONBytes) {
        if let text { string(text, &out) } else { out.append("null") }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as it is.
    public static func string(_ text: String) -> String {
        JSONBytes.text { string(text, &$0) }
    }

    /// Appends `text` as a JSON string literal: quotes, backslashes, control characters and U+2028/9
    /// escaped, every other byte as it is.
    static func string(_ text: String, _ out: inout JSONBytes) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            // Runs of bytes that need no escape are copied in one go; the scan reads through the pointer (this
            // runs for every string of every decision line and case-book row).
            var start = 0
            var index = 0
            while index < count {
                // Eight bytes at a time while none of them needs a look.
                while index + 8 <= count,
                      !mayNeedEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                }
                guard index < count else { break }
                let byte = base[index]
                if byte >= 0x20, byte != 0x22, byte != 0x5C, byte != 0xE2 {
                    index += 1
                    continue
                }
                if index > start { out.append(UnsafeBufferPointer(start: base + start, count: index - start)) }
                switch byte {
                case 0x22: out.append(0x5C, 0x22)
                case 0x5C: out.append(0x5C, 0x5C)
                case 0x0A: out.append(0x5C, UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C, UInt8(ascii: "r"))
                case 0x09: out.append(0x5C, UInt8(ascii: "t"))
                case 0x00..<0x20: unicodeEscape(UInt32(byte), &out)
                case 0xE2 where index + 2 < count && base[index + 1] == 0x80
                    && (base[index + 2] == 0xA8 || base[index + 2] == 0xA9):
                    // U+2028 and U+2029 end lines in JavaScript.
                    unicodeEscape(base[index + 2] == 0xA8 ? 0x2028 : 0x2029, &out)
                    index += 2
                default: out.append(byte)
                }
                index += 1
                start = index
            }
            if count > start { out.append(UnsafeBufferPointer(start: base + start, count: count - start)) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes in `word` is below 0x20, a quote, a backslash or 0xE2 (the lead byte of
    /// U+2028 and U+2029): the bytes the escaper must look at. No false negatives; a true answer may be
    /// a false alarm (a borrow), after which the bytes are looked at one by one.
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        SWAR.bytes(below: 0x20, in: word) | SWAR.zeroBytes(word ^ SWAR.repeated(0x22))
            | SWAR.zeroBytes(word ^ SWAR.repeated(0x5C)) | SWAR.zeroBytes(word ^ SWAR.repeated(0xE2)) != 0
    }

    private static func unicodeEscape(_ value: UInt32, _ out: inout JSONBytes) {
        out.append(0x5C, UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            let digit = UInt8((value >> UInt32(shift)) & 0xF)
            out.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }

    /// A JSON number: whole values without a fraction, others in Swift's shortest form (`JSONNumber`).
    public static func number(_ value: Double) -> String {
        JSONNumber.text(value)
    }

}
