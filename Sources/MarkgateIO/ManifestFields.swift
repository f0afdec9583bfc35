/// Field rules every manifest reader applies alike (contract §2).
enum ManifestFields {
    /// An HS code: 6 to 10 ASCII digits (already trimmed).
    static func isHSCode(_ text: String) -> Bool {
        (6...10).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `isHSCode` on the UTF-8 bytes of a trimmed value.
    static func isHSCode(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        (6...10).contains(bytes.count) && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// A decimal number as `Double(text)` reads it, without its generic, casting path for the common forms.
    ///
    /// Plain decimals (`12`, `12.50`, `-3.5`) of at most 15 significant digits are read as an integer divided
    /// by a power of ten: both exact in a `Double`, so the one division rounds correctly and the result is the
    /// one `Double(text)` gives. Anything else (exponents, `inf`, long digit strings) goes to `Double(text)`.
    static func number(_ text: String) -> Double? {
        if let fast = text.utf8.withContiguousStorageIfAvailable({ fastDecimal($0) }), let value = fast {
            return value
        }
        return Double(text)
    }

    /// `number` on UTF-8 bytes: the same value as `Double(String(decoding: bytes, as: UTF8.self))`, with a
    /// `String` made only for the forms the fast path leaves out.
    static func number(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let fast = fastDecimal(bytes) { return fast }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    private static func fastDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = bytes.count
        var index = 0
        var negative = false
        if count > 0, bytes[0] == 0x2D || bytes[0] == 0x2B {
            negative = bytes[0] == 0x2D
            index = 1
        }
        // At most 15 significant digits (checked as each is read): the arithmetic cannot overflow.
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var sawPoint = false, sawDigit = false
        while index < count {
            let byte = bytes[index]
            let digit = byte &- 0x30
            if digit < 10 {
                sawDigit = true
                if mantissa != 0 || digit != 0 { digits &+= 1 }
                guard digits <= 15 else { return nil }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if sawPoint { fractionDigits &+= 1 }
            } else if byte == 0x2E && !sawPoint {
                sawPoint = true
            } else {
                return nil
            }
            index &+= 1
        }
        guard sawDigit, let divisor = exactPowerOfTen(fractionDigits) else { return nil }
        let value = Double(mantissa) / divisor
        return negative ? -value : value
    }

    /// 10 to the `exponent`, for the exponents whose power a `Double` holds exactly (0...22); nil for others.
    /// A switch, not a table: a static array is reached through a lazy-initialisation check on every call.
    private static func exactPowerOfTen(_ exponent: Int) -> Double? {
        switch exponent {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        case 22: 1e22
        default: nil
        }
    }

    /// The text without white space (Unicode White_Space) at either end: how the CSV, XML and labels readers trim
    /// a value (the JSON Lines reader keeps Foundation's set, which also drops U+200B).
    static func trimmed(_ text: String) -> String {
        // Most values begin and end with ASCII that is not space: no scalar need be decoded (and the ends are
        // read from the bytes, not through the UTF-8 view's indices).
        let plainEnds = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return first < 0x80 && last < 0x80 && !XMLValueBytes.isASCIISpace(first) && !XMLValueBytes.isASCIISpace(last)
        }
        if plainEnds == true { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
              XMLValueBytes.isSpace(first.value) || XMLValueBytes.isSpace(last.value) else { return text }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end && XMLValueBytes.isSpace(scalars[start].value) { scalars.formIndex(after: &start) }
        while end > start && XMLValueBytes.isSpace(scalars[scalars.index(before: end)].value) {
            scalars.formIndex(before: &end)
        }
        return String(scalars[start..<end])
    }
}
