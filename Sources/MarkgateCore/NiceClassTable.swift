/// Nice classes of goods, judged from their HS code through a table of HS prefixes (Rules/hs-nice.yaml).
///
/// Keys are HS prefixes: 2 digits (chapter), 4 (heading) or 6 (subheading). A code takes the entry of the
/// longest prefix present, so a chapter entry is the fallback for the headings the table does not list.
/// The classes are approximate: an entry lists every class the goods under it may fall in.
public struct NiceClassTable: Sendable, Hashable {
    /// HS prefix (ASCII digits) → Nice classes, as given.
    public let prefixes: [String: [Int]]
    /// The distinct lengths of the keys, longest first (usually 6, 4, 2).
    private let lengths: [Int]
    /// `prefixes` under `key(value:length:)` of each digit key: a lookup hashes an integer, not a `String` made
    /// from the code for each length tried.
    private let byKey: [UInt64: [Int]]

    /// `prefixes` maps HS prefixes (ASCII digits, normally 2, 4 or 6 of them) to Nice classes.
    /// Keys that are empty, longer than 18 digits or not all ASCII digits can never match a code.
    public init(prefixes: [String: [Int]]) {
        self.prefixes = prefixes
        var byKey: [UInt64: [Int]] = [:]
        var lengths = Set<Int>()
        for (prefix, classes) in prefixes {
            guard let value = Self.digitsValue(prefix.utf8) else { continue }
            byKey[Self.key(value: value, length: prefix.utf8.count)] = classes
            lengths.insert(prefix.utf8.count)
        }
        self.byKey = byKey
        self.lengths = lengths.sorted(by: >)
    }

    /// The longest prefix that `key` can hold: 18 digits (a value under 10^18 < 2^60).
    private static let longestKey = 18

    /// The value of 1 to `longestKey` ASCII digits; nil for anything else.
    private static func digitsValue(_ digits: some Collection<UInt8>) -> UInt64? {
        guard (1...longestKey).contains(digits.count) else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// A prefix's key: its value and its length (`07` and `7` differ).
    private static func key(value: UInt64, length: Int) -> UInt64 { value << 5 | UInt64(length) }

    /// The classes for an HS code (digits; 6 to 10 of them, or any length ≥ 2): the entry of the longest
    /// prefix present (6, then 4, then 2 digits); nil when none matches or the code is not digits.
    ///
    /// The code must be ASCII digits only: `6404.11`, `6404 11` or an empty string give nil.
    public func classes(forHS code: String) -> [Int]? {
        let digits = code.utf8
        guard digits.count >= 2, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        for length in lengths where length <= digits.count {
            if let value = Self.digitsValue(digits.prefix(length)),
               let classes = byKey[Self.key(value: value, length: length)] { return classes }
        }
        return nil
    }

    /// The number of entries (prefixes) in the table.
    public var count: Int { prefixes.count }
}
