/// Numbers as markgate prints them: whole values without a fraction (`2`, not `2.0`), other values in Swift's
/// shortest round-trip form (`19.9`, `0.5700000000000001`).
///
/// Whole values, and values with up to four decimals under a billion (prices, quantities, scores), are written
/// without `String(Double)` (about 1k instructions a call), which every reason's text and every decision line
/// prints; anything else goes through it. `JSONNumber` writes JSON's numbers with the same parts.
public enum DecimalText {
    /// `value` as text; non-finite values as `String(value)` gives them (`nan`, `inf`).
    public static func text(_ value: Double) -> String {
        withText(of: value) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 of `text(value)`, made without a `String` for whole values and few decimals.
    ///
    /// Inlinable, as are the functions it calls: other modules then specialize it for their `body` (unspecialized,
    /// each call looked up generic metadata at run time, a fifth of what writing a decision line cost).
    @inlinable
    public static func withText<R>(of value: Double, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if value == value.rounded(), abs(value) < 1e15 { return withDigits(of: Int(value), body) }
        if abs(value) < 1e9, let parts = fewDecimals(value) { return withDigits(of: parts, negative: value < 0, body) }
        var text = String(value)
        return text.withUTF8(body)
    }

    /// Calls `body` with `value` in decimal digits (a leading `-` when negative).
    @inlinable
    public static func withDigits<R>(of value: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withDigits(of: (value.magnitude, 0), negative: value < 0, body)
    }

    /// Powers of ten that a `Double` holds exactly.
    @usableFromInline
    static let scales: [Double] = [10, 100, 1_000, 10_000]

    /// `value` (not whole, |value| < 1e9) as `scaled / 10^decimals` (`scaled` ≥ 0) for the fewest decimals ≤ 4 at
    /// which the division gives back `value` exactly; nil when there is none.
    ///
    /// Why it is Swift's shortest form: IEEE division is correctly rounded, so `Double(n) / 10^k == value` means
    /// the decimal n·10^-k reads back as `value`. Any other decimal that reads back as `value` lies within one
    /// ulp of it (under 2^-23 here, far below 10^-4), so it cannot be a different multiple of 10^-k; one with
    /// fewer significant digits would be such a multiple. So n·10^-k, trailing zeros dropped, is the shortest.
    @inlinable
    static func fewDecimals(_ value: Double) -> (scaled: UInt, decimals: Int)? {
        for (index, scale) in scales.enumerated() {
            let scaled = (value * scale).rounded()
            guard scaled / scale == value else { continue }
            return (UInt(scaled.magnitude), index + 1)
        }
        return nil
    }

    /// Calls `body` with `scaled / 10^decimals` in decimal digits (no point when `decimals` is 0), with a leading
    /// `-` when `negative`: the one digit writer behind whole numbers and few decimals.
    @inlinable
    static func withDigits<R>(of parts: (scaled: UInt, decimals: Int), negative: Bool,
                              _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var magnitude = parts.scaled
            var start = digits.count
            if parts.decimals > 0 {
                for _ in 0..<parts.decimals {
                    start -= 1
                    digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                }
                start -= 1
                digits[start] = UInt8(ascii: ".")
            }
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if negative {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
