import Testing
@testable import MarkgateCore

/// Segmentation by the segmenter's own extra words (looked up by their UTF-8) and their frequencies, with no
/// lexicon behind them: which words a run is cut into follows from the frequencies given.
struct ChineseSegmenterTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let extraWords: [String: Int]
        /// The words the frequency function knows (the lexicon's, in the screener).
        var lexicon: [String: Int] = [:]
        let run: String
        let boundaries: Set<Int>
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "frequent words on either side", extraWords: ["快乐": 3_000, "高兴": 3_000, "乐高": 20],
             run: "快乐高兴", boundaries: [0, 2, 4]),
        Case(name: "a frequent word across them", extraWords: ["快乐": 20, "高兴": 20, "乐高": 3_000],
             run: "快乐高兴", boundaries: [0, 1, 3, 4]),
        // Two words that overlap, each with the other's frequency: the cut follows the word's own frequency.
        Case(name: "the frequent word first", extraWords: ["快乐": 3_000, "乐高": 20], run: "快乐高",
             boundaries: [0, 2, 3]),
        Case(name: "the frequent word second", extraWords: ["快乐": 20, "乐高": 3_000], run: "快乐高",
             boundaries: [0, 1, 3]),
        Case(name: "a word holding a line break left out", extraWords: ["乐高": 3_000, "乐\n高": 5],
             run: "乐高", boundaries: [0, 2]),
        Case(name: "unknown characters stand alone", extraWords: [:], run: "快乐", boundaries: [0, 1, 2]),
        // The frequency function is asked with each candidate word's own bytes.
        Case(name: "lexicon words", extraWords: [:], lexicon: ["快乐": 3_000, "高兴": 3_000], run: "快乐高兴",
             boundaries: [0, 2, 4]),
        Case(name: "a lexicon word against an extra word", extraWords: ["乐高": 3_000], lexicon: ["快乐": 20],
             run: "快乐高", boundaries: [0, 1, 3]),
        Case(name: "a lexicon word at the end", extraWords: [:], lexicon: ["高兴": 3_000], run: "快乐高兴",
             boundaries: [0, 1, 2, 4]),
    ]

    @Test(arguments: cases)
    func cutsRunsByTheExtraWords(_ entry: Case) {
        let lexicon = entry.lexicon
        let segmenter = ChineseSegmenter(extraWords: entry.extraWords,
                                         frequency: { lexicon[String(decoding: $0, as: UTF8.self)] }, total: 10_000)
        #expect(segmenter.boundaries(of: Array(entry.run.unicodeScalars)) == entry.boundaries)
    }
}
