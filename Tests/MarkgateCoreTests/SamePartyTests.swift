import MarkgateTestSupport
import Testing
@testable import MarkgateCore

/// `Screener.holds` (a byte search in front of the character-level search) finds a run of whole characters, as
/// the character-level search alone did, on normalized (NFKC) text; and `sameParty` keeps its meaning: equal, or
/// one of 6 characters or more holding the other.
struct SamePartyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let part: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "held in the middle", text: "shenzhen acme trading co", part: "acme trading"),
        Case(name: "held at the start", text: "acme trading co", part: "acme"),
        Case(name: "held at the end", text: "trading co acme", part: "acme"),
        Case(name: "not held", text: "shenzhen trading co", part: "acme"),
        Case(name: "longer than the text", text: "acme", part: "acme trading"),
        Case(name: "empty part", text: "acme", part: ""),
        Case(name: "empty text", text: "", part: "acme"),
        Case(name: "first byte repeats", text: "aaaab", part: "aab"),
        Case(name: "CJK held", text: "深圳耐克贸易有限公司", part: "耐克贸易"),
        Case(name: "CJK not held", text: "深圳阿迪贸易有限公司", part: "耐克贸易"),
        // The bytes are there but split a character: 👍 + a skin tone is one character, which 👍 alone is not.
        Case(name: "bytes inside a grapheme cluster", text: "shop 👍🏽 co", part: "👍"),
        Case(name: "a multi-byte character's tail bytes", text: "é", part: "\u{A9}"),
        Case(name: "Hangul syllables", text: "나이키 신발", part: "나이키"),
    ]

    /// The definition: some run of `text`'s characters equals `part`'s characters (the empty part is held).
    static func heldAsCharacters(_ text: String, _ part: String) -> Bool {
        let text = Array(text), part = Array(part)
        guard !part.isEmpty else { return true }
        guard part.count <= text.count else { return false }
        return (0...(text.count - part.count)).contains { Array(text[$0..<$0 + part.count]) == part }
    }

    @Test(arguments: cases)
    func holdsFindsRunsOfWholeCharacters(_ entry: Case) {
        #expect(Screener.holds(entry.text, entry.part) == Self.heldAsCharacters(entry.text, entry.part))
    }

    @Test(arguments: cases)
    func samePartyAnswersAsTheCharacterLevelDefinition(_ entry: Case) {
        let (a, b) = (entry.part, entry.text)
        let expected = a == b || (a.count >= 6 && Self.heldAsCharacters(b, a))
            || (b.count >= 6 && Self.heldAsCharacters(a, b))
        #expect(Screener.sameParty(a, b) == expected)
        #expect(Screener.sameParty(b, a) == expected)
    }

    @Test func holdsFindsRunsOfWholeCharactersInGeneratedText() {
        var random = SplitMix64(seed: 42)
        // NFC pieces, as normalized text is; 👍 and 🏽 make one character when they meet.
        let alphabet: [String] = ["a", "b", "c", " ", "é", "耐", "克", "👍", "🏽", "나"]
        func text(_ length: Int) -> String {
            (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
        }
        for _ in 0..<2_000 {
            let haystack = text(Int(random.next() % 12)), needle = text(Int(random.next() % 4))
            #expect(Screener.holds(haystack, needle) == Self.heldAsCharacters(haystack, needle),
                    "\(haystack) / \(needle)")
        }
    }
}
