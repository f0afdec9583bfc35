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
        DecimalText.withText(of: value) { out.append($0) }
    }

    /// Appends `value` in decimal digits.
    static func append(_ value: Int, to out: inout JSONBytes) {
        DecimalText.withDigits(of: value) { out.append($0) }
    }
}
