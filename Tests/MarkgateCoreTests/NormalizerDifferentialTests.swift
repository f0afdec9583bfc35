import MarkgateTestSupport
import Testing
@testable import MarkgateCore

/// `Normalizer.normalize` writes through buffers sized ahead and grown when a scalar might not fit; it must give
/// the bytes and origins of the append-per-byte definition (`ReferenceNormalizer`) for any text, with its output
/// reused from one text to the next as the screener reuses it.
struct NormalizerDifferentialTests {
    /// Scalars that take every path: ASCII of each kind, separators, folded letters, expansions (one of 18
    /// scalars), removals, kana and voiced marks that compose, CJK (dropped spaces), astral scalars.
    static let alphabet: [String] = [
        "a", "Z", "5", "$", " ", "-", "!", "\t", "é", "e\u{301}", "Ｎ", "ﾏ", "ｶ", "\u{FF9E}", "\u{3099}", "カ",
        "耐", "兒", "\u{200B}", "ß", "ﬁ", "①", "С", "Ν", "🔥", "\u{FDFA}", "\u{3000}", "·", "삼", "𠀀", "\u{F900}",
        "™", "\u{337F}", "\u{FEFF}", "\u{1F130}",
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let seed: UInt64
        /// Longest text, in scalars drawn from the alphabet.
        let maxLength: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "short texts", seed: 1, maxLength: 12),
        Case(name: "item-sized texts", seed: 2, maxLength: 60),
        Case(name: "long texts", seed: 3, maxLength: 400),
    ]

    /// 300 texts of up to `entry.maxLength` scalars drawn from the alphabet, each with the reference's form and its
    /// scalars in hex (for a failure's message).
    static func texts(_ entry: Case, seed: UInt64) -> [(text: String, expected: NormalizedText, scalars: String)] {
        var random = SplitMix64(seed: seed)
        let reference = ReferenceNormalizer()
        return (0..<300).map { _ in
            let length = Int(random.next() % UInt64(entry.maxLength + 1))
            var text = ""
            for _ in 0..<length { text += Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] }
            return (text, reference.normalize(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test(arguments: cases)
    func normalizeAgreesWithTheReference(_ entry: Case) {
        let normalizer = Normalizer()
        var reused = NormalizedText()
        for (text, expected, scalars) in Self.texts(entry, seed: entry.seed) {
            normalizer.normalize(text, into: &reused)
            #expect(reused == expected, "\(scalars)")
            #expect(normalizer.normalize(text) == expected)
        }
    }

    /// Without origins (as the screener first normalizes a text): the same bytes, no origins; then with them
    /// again into the same storage, all of the reference.
    @Test(arguments: cases)
    func bytesWithoutOriginsAreTheSame(_ entry: Case) {
        let normalizer = Normalizer()
        var reused = NormalizedText()
        for (text, expected, scalars) in Self.texts(entry, seed: entry.seed &+ 100) {
            normalizer.normalize(text, into: &reused, recordingOrigins: false)
            #expect(reused.bytes == expected.bytes, "\(scalars)")
            #expect(reused.origins.isEmpty && reused.hasOrigins == expected.bytes.isEmpty, "\(scalars)")
            normalizer.normalize(text, into: &reused, recordingOrigins: true)
            #expect(reused == expected, "\(scalars)")
        }
    }

    /// Texts that fold to far more bytes than they have (each U+FDFA is 18 scalars, 33 bytes): the output grows
    /// while it is written, from empty and from a short text's storage.
    @Test(arguments: [1, 8, 40, 300])
    func expansionsGrowTheOutput(count: Int) {
        let text = "x " + String(repeating: "\u{FDFA}", count: count) + " ok"
        let expected = ReferenceNormalizer().normalize(text)
        var reused = Normalizer().normalize("ab")
        Normalizer().normalize(text, into: &reused)
        #expect(reused == expected)
        #expect(Normalizer().normalize(text) == expected)
        // A copy shares storage until written: normalizing into one must leave the other as it was.
        let copy = reused
        Normalizer().normalize("nike", into: &reused)
        #expect(copy == expected)
        #expect(reused == ReferenceNormalizer().normalize("nike"))
    }

    /// `normalize` writes first in room for the text's bytes and 16 more, and writes the text again in twice the
    /// room when it does not fit: texts that fold to 14 to 18 bytes more than they have (U+337F, 3 bytes, folds to
    /// 12; `Ｎ` to 1 of its 3; `é` to 1 of its 2; then a word, which can end the output at the room's last byte)
    /// just fit, fill, or just overflow that first room.
    @Test(arguments: [14, 15, 16, 17, 18])
    func outputsAroundTheFirstRoom(extra: Int) {
        var reused = Normalizer().normalize("a longer text than the next ones " + String(repeating: "z", count: 300))
        var met = 0
        for squares in 0...3 {
            for wide in 0...4 {
                for accents in 0...2 {
                    for length in 1...24 {
                        let text = String(repeating: "\u{337F}", count: squares) + String(repeating: "Ｎ", count: wide)
                            + String(repeating: "é", count: accents) + " " + String(repeating: "k", count: length)
                        let expected = ReferenceNormalizer().normalize(text)
                        guard expected.bytes.count - text.utf8.count == extra else { continue }
                        met += 1
                        Normalizer().normalize(text, into: &reused)
                        #expect(reused == expected, "\(squares), \(wide), \(accents), \(length)")
                        #expect(Normalizer().normalize(text) == expected, "\(squares), \(wide), \(accents), \(length)")
                    }
                }
            }
        }
        #expect(met > 0, "no text folds to \(extra) more bytes")
    }

    /// A long word right after expansions: its letters are written a run at a time while the output is nearly
    /// full, so a run must stop where the room ends and go on once the output has grown.
    @Test(arguments: [("no gap", ""), ("a space", " "), ("a hyphen", "-"), ("upper case", " ")])
    func aWordFillsTheRoomLeftByExpansions(name: String, gap: String) {
        let word = name == "upper case" ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            : "abcdefghijklmnopqrstuvwxyz0123456789$abcdefghijklmnopqrstuvwxyz"
        var reused = NormalizedText()
        for count in 1...24 {
            let text = String(repeating: "\u{FDFA}", count: count) + gap + word + " \u{FDFA}" + word
            let expected = ReferenceNormalizer().normalize(text)
            Normalizer().normalize(text, into: &reused)
            #expect(reused == expected, "\(name), \(count)")
            #expect(Normalizer().normalize(text) == expected, "\(name), \(count)")
        }
    }
}
