/// What a UTF-8 lead byte asks of the bytes after it (Unicode 16, table 3-7): how many continuation bytes, and
/// the range the first of them must fall in (the rest are always 0x80...0xBF).
///
/// The one table behind every reader's UTF-8 check (CSV, JSON Lines, the XML prolog lexer, libxml2's messages
/// rewritten): a byte that no well-formed sequence starts with (0x80...0xC1, 0xF5...0xFF) gives nil.
enum UTF8Lead {
    @inline(__always)
    static func expectation(_ lead: UInt8) -> (continuations: Int, low: UInt8, high: UInt8)? {
        switch lead {
        case 0xC2...0xDF: (1, 0x80, 0xBF)
        case 0xE0: (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE, 0xEF: (2, 0x80, 0xBF)
        case 0xED: (2, 0x80, 0x9F)
        case 0xF0: (3, 0x90, 0xBF)
        case 0xF1...0xF3: (3, 0x80, 0xBF)
        case 0xF4: (3, 0x80, 0x8F)
        default: nil
        }
    }

    /// Whether `bytes` are well-formed UTF-8 throughout (what `String(decoding:as:)` takes without a repair).
    static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        let count = bytes.count
        while index < count {
            // ASCII eight bytes at a time.
            while index + 8 <= count,
                  UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & SWAR.highBits == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            index += 1
            if lead < 0x80 { continue }
            // Most non-ASCII text (CJK) is three-byte sequences whose lead allows any continuation bytes: E1-EC,
            // EE, EF (E0 and ED narrow the first one's range).
            if lead &- 0xE1 < 0x0F && lead != 0xED && index + 2 <= count
                && bytes[index] & 0xC0 == 0x80 && bytes[index + 1] & 0xC0 == 0x80 {
                index += 2
                continue
            }
            guard let (continuations, low, high) = expectation(lead), index + continuations <= count,
                  (low...high).contains(bytes[index]) else { return false }
            for offset in 1..<continuations where !(0x80...0xBF).contains(bytes[index + offset]) {
                return false
            }
            index += continuations
        }
        return true
    }
}
