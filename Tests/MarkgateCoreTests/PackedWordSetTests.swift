import Testing
@testable import MarkgateCore

/// A byte string and whether `PackedWordSet` packs it.
struct PackCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let packs: Bool
    var testDescription: String { name }
}

@Test(arguments: [
    PackCase(name: "one byte", bytes: Array("a".utf8), packs: true),
    PackCase(name: "eight bytes", bytes: Array("abcdefgh".utf8), packs: true),
    PackCase(name: "nine bytes", bytes: Array("abcdefghi".utf8), packs: false),
    PackCase(name: "empty", bytes: [], packs: false),
    PackCase(name: "a zero byte", bytes: [0x61, 0, 0x62], packs: false),
])
func packedWordSetPacks(_ testCase: PackCase) {
    #expect((testCase.bytes.withUnsafeBufferPointer(PackedWordSet.pack) != nil) == testCase.packs)
}

/// Words held and not, with their neighbours: a prefix, an extension, a changed last byte.
@Test func packedWordSetHoldsItsWordsOnly() {
    let words = ["a", "of", "new", "shoes", "foldable", "abcdefgh", "longerthaneight"]
    let set = PackedWordSet(lines: words.joined(separator: "\n"))
    func holds(_ text: String) -> Bool { Array(text.utf8).withUnsafeBufferPointer { set.contains($0) } }
    for word in words.dropLast() {
        #expect(holds(word), "\(word)")
        #expect(!holds(word + "s") || words.contains(word + "s"), "\(word)s")
        #expect(!holds(String(word.dropLast()) + "z"), "\(word) with its last letter changed")
    }
    #expect(!holds("longerthaneight"))
    #expect(!holds("ne"))
    #expect(!holds("fold"))
}

/// `Lexicon.isEnglishWord(utf8:)` (packed for short words) answers as the word table does, for every dictionary
/// word and for each with a letter added or changed.
@Test func englishWordLookupAgreesWithTheTable() {
    let words = EnglishWordsData.lines.split(separator: "\n").map(String.init)
    #expect(words.count > 50_000)
    var checked = 0
    for (index, word) in words.enumerated() where index % 7 == 0 {
        for probe in [word, word + "q", String(word.dropLast()) + "x", "x" + word] {
            let packed = Array(probe.utf8).withUnsafeBufferPointer { Lexicon.isEnglishWord(utf8: $0) }
            #expect(packed == Lexicon.isEnglishWord(probe), "\(probe)")
            checked += 1
        }
    }
    #expect(checked > 40_000)
}
