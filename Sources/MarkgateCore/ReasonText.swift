/// A reason's text, written by string interpolation into one byte buffer.
///
/// `"line \(n) names \(id)"` as a `String` appends each piece to the string, growing it (about 330 instructions a
/// piece); a flagged parcel's reasons have twenty to thirty pieces. Here the pieces go into bytes reserved once,
/// integers and numbers are written as digits (`DecimalText`'s forms, no `String(Double)`), and the `String` is
/// made once, by `text`. Only the kinds of values a reason prints can be interpolated, so a new one is a
/// decision, not a silent `description`.
struct ReasonText: ExpressibleByStringInterpolation, ExpressibleByStringLiteral {
    fileprivate(set) var bytes: [UInt8]

    init(stringLiteral value: String) {
        bytes = Array(value.utf8)
    }

    init(stringInterpolation: Interpolation) {
        bytes = stringInterpolation.bytes
    }

    /// The text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    static func + (lhs: ReasonText, rhs: ReasonText) -> ReasonText {
        var joined = lhs
        joined.bytes.append(contentsOf: rhs.bytes)
        return joined
    }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var bytes: [UInt8] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            bytes.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) {
            bytes.append(contentsOf: literal.utf8)
        }

        mutating func appendInterpolation(_ text: String) {
            bytes.append(contentsOf: text.utf8)
        }

        mutating func appendInterpolation(_ text: ReasonText) {
            bytes.append(contentsOf: text.bytes)
        }

        /// A whole number in decimal digits.
        mutating func appendInterpolation(_ value: Int) {
            DecimalText.withDigits(of: value) { bytes.append(contentsOf: $0) }
        }

        /// A number as markgate prints them (`DecimalText.text`: `2`, `19.9`).
        mutating func appendInterpolation(number value: Double) {
            DecimalText.withText(of: value) { bytes.append(contentsOf: $0) }
        }

        /// Nice classes as a list: `25, 18`.
        mutating func appendInterpolation(classes: [Int]) {
            for (index, value) in classes.enumerated() {
                if index > 0 { appendLiteral(", ") }
                appendInterpolation(value)
            }
        }
    }
}
