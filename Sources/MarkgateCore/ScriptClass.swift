/// Script facts about scalars that matching needs: which scripts write without spaces, what is a word.
enum ScriptClass {
    /// Han, kana, Hangul, Bopomofo and CJK symbols: scripts that write words without spaces between them.
    ///
    /// Names in these scripts match without word boundaries, and separators between two such
    /// characters are dropped by normalization (`耐 克` → `耐克`).
    @inline(__always)
    static func isCJK(_ v: UInt32) -> Bool {
        switch v {
        case 0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3031...0x3035, 0x3038...0x303C,
             0x3040...0x30FF, 0x3100...0x312F, 0x3130...0x318F, 0x31A0...0x31FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFF66...0xFF9F,
             0x1B000...0x1B16F, 0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }

    /// A letter or digit of a script that separates words with spaces (Latin, Greek, Cyrillic, ...).
    ///
    /// Names that begin or end with such a character need a word boundary there (`apple` must not match
    /// inside `pineapple`).
    @inline(__always)
    static func isWord(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A)
        }
        if isCJK(v) { return false }
        guard let scalar = Unicode.Scalar(v) else { return false }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil
    }
}
