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

    /// `prefixes` maps HS prefixes (ASCII digits, normally 2, 4 or 6 of them) to Nice classes.
    /// Keys that are empty or not all ASCII digits can never match a code.
    public init(prefixes: [String: [Int]]) {
        self.prefixes = prefixes
        self.lengths = Set(prefixes.keys.map(\.utf8.count)).filter { $0 > 0 }.sorted(by: >)
    }

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
            if let classes = prefixes[String(code.prefix(length))] {
                return classes
            }
        }
        return nil
    }

    /// The number of entries (prefixes) in the table.
    public var count: Int { prefixes.count }
}
