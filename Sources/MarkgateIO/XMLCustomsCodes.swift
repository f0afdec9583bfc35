/// A table of China customs codes (`XMLManifestFormat.customsCurrencies`, `customsCountries`) looked up by the
/// UTF-8 bytes of a code, as the dictionary is by its text.
///
/// Three-digit codes (all of them, in the tables markgate has) are read from an array indexed by their value,
/// without a `String`; any other key goes to the dictionary.
struct XMLCustomsCodes: Sendable {
    private let table: [String: String]
    /// The value of each three-digit key, at the key's number.
    private let threeDigits: [String?]

    init(_ table: [String: String]) {
        self.table = table
        var threeDigits = [String?](repeating: nil, count: 1000)
        for (key, value) in table {
            if let number = Self.threeDigitNumber(Array(key.utf8)) { threeDigits[number] = value }
        }
        self.threeDigits = threeDigits
    }

    /// The value of the key spelled by `bytes`, or nil.
    subscript(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if let number = Self.threeDigitNumber(bytes) { return threeDigits[number] }
        return table[String(decoding: bytes, as: UTF8.self)]
    }

    /// The number three ASCII digits spell, or nil for any other bytes.
    private static func threeDigitNumber<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? where Bytes.Index == Int {
        guard bytes.count == 3 else { return nil }
        var number = 0
        for index in 0..<3 {
            let byte = bytes[bytes.startIndex + index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        return number
    }
}
