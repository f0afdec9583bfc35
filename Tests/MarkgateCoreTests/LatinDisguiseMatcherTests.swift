import Testing
@testable import MarkgateCore

/// A normalized text and every candidate `LatinDisguiseMatcher.find` must give for it, best first, worked out
/// by hand from the matcher's rules (windows as they are and with leetspeak undone, one-letter runs, names
/// glued to words).
struct LatinFindCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let found: [LatinDisguiseMatcher.Found]
    var testDescription: String { name }
}

private func found(_ start: Int, _ end: Int, _ key: String, distance: Int = 0, leet: Int = 0, joined: Bool = false,
                   glued: Bool = false) -> LatinDisguiseMatcher.Found {
    LatinDisguiseMatcher.Found(start: start, end: end, key: Array(key.utf8), distance: distance,
                               leetSubstitutions: leet, joined: joined, glued: glued)
}

let latinFindCases: [LatinFindCase] = [
    LatinFindCase(name: "leetspeak undone", text: "m0ncl3r puffer",
                  found: [found(0, 7, "moncler", leet: 2)]),
    LatinFindCase(name: "one-letter run, whole and one edit short", text: "z i p p o",
                  found: [found(0, 9, "zippo", joined: true), found(0, 7, "zippo", distance: 1, joined: true),
                          found(2, 9, "zippo", distance: 1, joined: true)]),
    LatinFindCase(name: "name glued to a word after it", text: "monclerjacket warm",
                  found: [found(0, 13, "moncler", joined: true, glued: true)]),
    LatinFindCase(name: "name glued to a word before it", text: "newnike",
                  found: [found(0, 7, "nike", joined: true, glued: true)]),
    LatinFindCase(name: "two tokens joined, one edit", text: "louis uitton bag",
                  found: [found(0, 12, "louisvuitton", distance: 1, joined: true)]),
    LatinFindCase(name: "dictionary words only", text: "new jacket bag", found: []),
    // Before quantities were plain, `red 50m` was joined and read as leetspeak: `redsom`, a name.
    LatinFindCase(name: "a quantity is not joined to the word before it", text: "red 50m cable", found: []),
    LatinFindCase(name: "a split name is still joined beside a quantity", text: "max im 30ml",
                  found: [found(0, 6, "maxim", joined: true)]),
    LatinFindCase(name: "short name glued to a quantity", text: "dior100ml",
                  found: [found(0, 9, "dior", joined: true, glued: true)]),
    LatinFindCase(name: "no tokens", text: "耐克 · 鞋", found: []),
]

@Test(arguments: latinFindCases)
func latinDisguiseFind(_ testCase: LatinFindCase) {
    let words: Set<String> = ["shoes", "jacket", "new", "bag", "warm", "red", "cable"]
    let matcher = LatinDisguiseMatcher(
        keys: ["moncler", "balenciaga", "zippo", "nike", "louisvuitton", "maxim", "dior", "redsom"]
            .map { Array($0.utf8) },
        maxWords: 2,
        nameWords: ["louis", "vuitton"],
        isWord: { words.contains(String(decoding: $0, as: UTF8.self)) })
    #expect(matcher.find(in: Array(testCase.text.utf8)) == testCase.found)
}

/// A token and whether it is a quantity (digits, then a unit of measure).
struct QuantityCase: CustomTestStringConvertible, Sendable {
    let token: String
    let isQuantity: Bool
    var testDescription: String { "\(token): \(isQuantity)" }
}

@Test(arguments: [
    QuantityCase(token: "100ml", isQuantity: true),
    QuantityCase(token: "2m", isQuantity: true),
    QuantityCase(token: "128gb", isQuantity: true),
    QuantityCase(token: "10000mah", isQuantity: true),
    QuantityCase(token: "3pcs", isQuantity: true),
    QuantityCase(token: "ml", isQuantity: false),           // no number
    QuantityCase(token: "100", isQuantity: false),          // a number, plain already
    QuantityCase(token: "100mlx", isQuantity: false),       // not a unit
    QuantityCase(token: "n1ke", isQuantity: false),         // leetspeak: letters first
    QuantityCase(token: "0mega", isQuantity: false),        // leetspeak: `mega` is not a unit
    QuantityCase(token: "4didas", isQuantity: false),
    QuantityCase(token: "5kgs2", isQuantity: false),        // digits after the unit
    QuantityCase(token: "1234567890abcdefghi", isQuantity: false),
])
func latinQuantityTokens(_ testCase: QuantityCase) {
    let bytes = Array(testCase.token.utf8)
    #expect(bytes.withUnsafeBufferPointer { LatinDisguiseMatcher.isQuantity($0) } == testCase.isQuantity)
}
