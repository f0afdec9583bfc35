import MarkgateTestSupport
import Testing
@testable import MarkgateCore

/// The screener's byte-level fast paths answer as the simple definitions they replaced: `cjkRuns` (runs of CJK
/// scalars with their byte offsets), `LatinDisguiseMatcher.tokens` and `ParcelText` (a parcel's text as bytes).
struct ScreenerFastPathTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty", text: ""),
        Case(name: "ASCII only", text: "nike air max 270"),
        Case(name: "CJK only", text: "正品耐克运动鞋"),
        Case(name: "CJK between Latin", text: "new 耐克 shoes 香奈儿bag"),
        Case(name: "CJK at both ends", text: "耐克 air 鞋"),
        Case(name: "kana and Hangul", text: "マックス 나이키 x"),
        Case(name: "two-byte letters break a run", text: "耐克é克"),
        Case(name: "symbols of three bytes break a run", text: "耐克€克"),
        Case(name: "four-byte CJK", text: "𠀀𠀁 a 𪚥"),
        Case(name: "four-byte non-CJK breaks a run", text: "耐👍克"),
        Case(name: "CJK punctuation", text: "耐克、阿迪。"),
        Case(name: "digits and dollar", text: "$upreme 100ml x2"),
        // Each end of each token range with the byte just outside it: / 0 9 : # $ % ` a z { and @ A Z [.
        Case(name: "bytes next to the token ranges", text: "x/0y9:z#$%b`a{zc@A[Z"),
        // The most tokens a text can hold (`LatinDisguiseMatcher.tokenCapacity`): one-byte tokens, one byte apart.
        Case(name: "most tokens, odd length", text: "z i p p o"),
        Case(name: "most tokens, even length", text: "z.i.p.p.o."),
        Case(name: "one-byte text", text: "a"),
        // `cjkScalars` takes leads of 0xE5 to 0xE9 as CJK unasked: the scalars beside that range and around the
        // Han blocks' ends (U+4DBF Han, U+4DC0 a hexagram; U+9FFF Han, U+A000 Yi; U+A960 Hangul).
        Case(name: "scalars around the Han blocks' ends",
             text: "\u{4DBF}\u{4DC0}\u{4E00}\u{4FFF}\u{5000}\u{9FFF}\u{A000}\u{A960}\u{4DC0}"),
        // Leads below 0xE2 are passed over a byte at a time: U+0800, U+1100 (Hangul Jamo, not CJK), U+2E7F
        // against U+2E80 (the first CJK scalar), and U+2E80 last in the text.
        Case(name: "three-byte scalars below the CJK ranges", text: "\u{2E80}\u{800}\u{1100}\u{2E7F}\u{2E80}"),
    ]

    /// The old definition: decode every scalar of the text, keep the CJK ones in runs with their byte offsets.
    static func referenceRuns(_ text: String) -> [(scalars: [Unicode.Scalar], offsets: [Int])] {
        var runs: [(scalars: [Unicode.Scalar], offsets: [Int])] = []
        var current: (scalars: [Unicode.Scalar], offsets: [Int]) = ([], [])
        var offset = 0
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x80, ScriptClass.isCJK(scalar.value) {
                current.scalars.append(scalar)
                current.offsets.append(offset)
            } else if !current.scalars.isEmpty {
                current.offsets.append(offset)
                runs.append(current)
                current = ([], [])
            }
            offset += String(scalar).utf8.count
        }
        if !current.scalars.isEmpty {
            current.offsets.append(offset)
            runs.append(current)
        }
        return runs
    }

    @Test(arguments: cases)
    func cjkRunsAreTheRunsOfCJKScalars(_ entry: Case) {
        let runs = Screener.cjkRuns(in: Array(entry.text.utf8))
        let expected = Self.referenceRuns(entry.text)
        #expect(runs.map(\.scalars) == expected.map(\.scalars))
        #expect(runs.map(\.offsets) == expected.map(\.offsets))
        #expect(runs.map(\.byteRange) == expected.map { $0.offsets[0]..<$0.offsets[$0.offsets.count - 1] })
    }

    @Test(arguments: cases)
    func tokensAreTheRunsOfTokenBytes(_ entry: Case) {
        let bytes = Array(entry.text.utf8)
        var expected: [Range<Int>] = []
        var start: Int? = nil
        for (index, byte) in bytes.enumerated() {
            let isToken = (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x24
            if isToken, start == nil { start = index }
            if !isToken, let first = start {
                expected.append(first..<index)
                start = nil
            }
        }
        if let first = start { expected.append(first..<bytes.count) }
        #expect(LatinDisguiseMatcher.tokens(in: bytes) == expected)
        #expect(expected.count <= LatinDisguiseMatcher.tokenCapacity(bytes.count))
    }

    /// `hits` sorts its candidates, and the names it chooses, only when there are two or more: two found in the
    /// wrong order must still come out in the right one.
    struct TwoCandidatesCase: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        /// The marks of the hits, in text order.
        let marks: [String]
        var testDescription: String { name }
    }

    static let twoCandidatesRegister = Register(marks: [
        Mark(id: "KUBU", names: ["KUBU"], classes: [25]),
        Mark(id: "KUBUMIMULA", names: ["KUBU MIMULA"], classes: [25]),
        Mark(id: "MONCLER", names: ["MONCLER"], classes: [25]),
    ])

    static let twoCandidatesCases: [TwoCandidatesCase] = [
        // The exact `kubu` is found first; the typo of `kubu mimula` explains more of the text and takes the span.
        TwoCandidatesCase(name: "the longer name, found second, wins the span", text: "kubu mimxla",
                          marks: ["KUBUMIMULA"]),
        // The exact `kubu` (no edits) comes first among the candidates, the leetspeak `m0ncl3r` before it in the
        // text.
        TwoCandidatesCase(name: "names chosen right to left come out left to right", text: "m0ncl3r and kubu",
                          marks: ["MONCLER", "KUBU"]),
    ]

    @Test(arguments: twoCandidatesCases)
    func twoCandidatesAreSorted(_ entry: TwoCandidatesCase) {
        let screener = Screener(register: Self.twoCandidatesRegister)
        var normalized = NormalizedText()
        let found = screener.hits(in: entry.text, line: 1, field: "description", normalized: &normalized)
        #expect(found.hits.map(\.hit.mark) == entry.marks)
    }

    @Test func parcelTextIsTheJoinedStrings() {
        let normalizer = Normalizer()
        var text = ParcelText()
        var expected = ""
        for entry in Self.cases {
            let normalized = normalizer.normalize(entry.text)
            text.append(normalized.bytes)
            expected += " " + normalized.string + " \n"
        }
        #expect(text.string == expected)
        #expect(text.bytes == Array(expected.utf8))
    }
}

/// Regression: `cjkRuns` reserved, for every run, room for a scalar per three bytes left in the text, so a long
/// text of many short runs (CJK and Latin alternating, as a pasted listing can be) took memory quadratic in its
/// length. Each run's storage must stay in proportion to the run.
@Test(arguments: [("one scalar a run", "耐a"), ("two scalars a run", "耐克 "), ("a run and a digit", "香奈兒1")])
func cjkRunStorageStaysInProportionToTheRun(name: String, unit: String) {
    let text = String(repeating: unit, count: 3_000)
    let runs = Screener.cjkRuns(in: Array(text.utf8))
    #expect(runs.count == 3_000, "\(name)")
    for run in runs {
        #expect(run.scalars.capacity <= 2 * run.scalars.count + 16, "\(name): \(run.scalars.capacity)")
        #expect(run.offsets.capacity <= 2 * run.offsets.count + 16, "\(name): \(run.offsets.capacity)")
    }
}
