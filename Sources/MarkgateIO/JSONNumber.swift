import MarkgateCore

/// Numbers as markgate's JSON writers print them: whole values without a fraction (`2`, not `2.0`), other finite
/// values in Swift's shortest round-trip form (`19.9`, `0.5700000000000001`), and `null` for NaN and infinities.
///
/// Written into the output bytes without making a `String` for the common cases (whole numbers, and values
/// with up to four decimals under a billion: prices, quantities, scores), which is what every decision line and
/// every case-book row prints; anything else goes through `String(value)`. `JSONNumberTests` checks the fast
/// path against `String(value)`.
public enum JSONNumber {
    /// `value` as text.
    public static func text(_ value: Double) -> String {
        JSONBytes.text { append(value, to: &$0) }
    }

    /// Appends `value` as text.
    static func append(_ value: Double, to out: inout JSONBytes) {
        guard value.isFinite else { return out.append("null") }
        if value == value.rounded(), abs(value) < 1e15 { return append(Int(value), to: &out) }
        if abs(value) < 1e9, appendFewDecimals(value, to: &out) { return }
        var text = String(value)
        text.withUTF8 { out.append($0) }
    }

    /// Appends `value` in decimal digits.
    static func append(_ value: Int, to out: inout JSONBytes) {
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `value` (not whole, |value| < 1e9) in `DecimalText`'s few-decimals form; false when it has none.
    private static func appendFewDecimals(_ value: Double, to out: inout JSONBytes) -> Bool {
        guard let parts = DecimalText.fewDecimals(value) else { return false }
        DecimalText.withDigits(of: parts, negative: value < 0) { out.append($0) }
        return true
    }
}
