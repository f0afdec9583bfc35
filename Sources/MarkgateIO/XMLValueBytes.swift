/// Field values read from their UTF-8 bytes, as libxml2 handed them (`XMLParcelBuilder` keeps a parcel's field
/// text as bytes): trimming and whole numbers, each the same as the `String` functions it replaces.
///
/// The bytes are UTF-8 as libxml2 hands it (whole characters, already checked); a malformed sequence is never
/// taken for white space.
enum XMLValueBytes {
    /// The bytes without white space (Unicode White_Space) at either end, as `ManifestFields.trimmed` does
    /// on the `String`.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end {
            let byte = bytes[start]
            if byte < 0x80 {
                guard isASCIISpace(byte) else { break }
                start += 1
            } else {
                guard let (scalar, length) = scalar(bytes, at: start, before: end), isSpace(scalar) else { break }
                start += length
            }
        }
        while end > start {
            let byte = bytes[end - 1]
            if byte < 0x80 {
                guard isASCIISpace(byte) else { break }
                end -= 1
            } else {
                // Back to the lead byte of the last character (at most 3 continuation bytes before it).
                var lead = end - 1
                while lead > start && end - lead < 4 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
                guard let (scalar, length) = scalar(bytes, at: lead, before: end), lead + length == end,
                      isSpace(scalar) else { break }
                end = lead
            }
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// A whole number from 1, as `Int(text)` reads it (an optional `+`, ASCII digits, no overflow); nil
    /// otherwise.
    static func lineNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        if index < bytes.count && bytes[index] == 0x2B { index += 1 }   // +
        // (A `-` makes the number 0 or less, or unreadable: never a line.)
        guard index < bytes.count else { return nil }
        var number = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (times10, overflow) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
            guard !overflow && !overflow2 else { return nil }
            number = sum
            index += 1
        }
        return number >= 1 ? number : nil
    }

    /// Whether the bytes are ASCII only (so that equal text is equal bytes).
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// Tab, line feed, vertical tab, form feed, carriage return and space.
    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Unicode White_Space, spelled out (the property lookup costs more than these comparisons).
    @inline(__always)
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// The scalar whose UTF-8 sequence begins at `index` (a byte of 0x80 or more) and its length, when it is
    /// whole before `end`; nil for a malformed sequence.
    private static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, before end: Int)
        -> (UInt32, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= end else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (value, length)
    }
}
