import MarkgateTestSupport
import Testing
@testable import MarkgateCore

/// `HomophoneIndex.find` (windows over slices of the run's buffers, keys by the `forEachKey` odometer) finds what
/// the definition finds, in the same order: every window, shortest names first, each of its keys in `keys` order,
/// the names read that way in register order.
struct HomophoneFindDifferentialTests {
    /// Names of 2 to 4 characters, polyphonic characters (长 行 乐 重 得) among them.
    static let names = ["古驰", "兰蔻", "戴森", "长城", "乐高", "行长", "重庆", "得力", "耐克", "阿迪达斯", "香奈儿", "银行",
                        "长乐", "重得行长"]
    /// The names' characters, same-sound characters, a kana and a Bopomofo letter (no readings).
    static let alphabet = Array("古驰谷池兰蔻蓝扣戴森深长城常乐高勒糕行航杭重庆得力了耐克奈可阿迪达斯香奈儿尔银マㄅ".unicodeScalars)

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let seed: UInt64
        let maxLength: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "short runs", seed: 11, maxLength: 6),
        Case(name: "long runs", seed: 12, maxLength: 40),
    ]

    /// A window that reads as a name in one character (two for four) is found, unless it is a common word (here:
    /// any window holding 城, so that the rule is exercised).
    static func isCommonWord(_ word: String) -> Bool { word.contains("城") }

    static func reference(_ names: [[Unicode.Scalar]], _ run: [Unicode.Scalar]) -> [HomophoneIndex.Found] {
        let nameKeys = names.map { (2...4).contains($0.count) ? HomophoneIndex.keys($0) : [] }
        let lengths = Set(names.indices.filter { !nameKeys[$0].isEmpty }.map { names[$0].count }).sorted()
        var found: [HomophoneIndex.Found] = []
        for length in lengths where length <= run.count {
            for start in 0...(run.count - length) {
                let window = Array(run[start..<start + length])
                var seen: [Int] = []
                for key in HomophoneIndex.keys(window) {
                    for (index, name) in names.enumerated()
                    where name.count == length && nameKeys[index].contains(key) && !seen.contains(index) {
                        seen.append(index)
                        let substitutions = zip(name, window).filter { $0 != $1 }.count
                        guard substitutions > 0, substitutions <= (length >= 4 ? 2 : 1),
                              !isCommonWord(String(String.UnicodeScalarView(window))) else { continue }
                        found.append(HomophoneIndex.Found(start: start, length: length, name: index,
                                                          substitutions: substitutions))
                    }
                }
            }
        }
        return found
    }

    /// Names of each length after other characters, polyphonic ones among them, and at the end of a run: a
    /// window's key is rolled in past the characters before it.
    struct PlacedCase: CustomTestStringConvertible, Sendable {
        let name: String
        let run: String
        /// How many homophones the run holds.
        let found: Int
        var testDescription: String { name }
    }

    static let placedCases: [PlacedCase] = [
        PlacedCase(name: "two at the start", run: "谷驰香奈儿", found: 1),
        PlacedCase(name: "three after two", run: "古驰香奈尔", found: 1),
        PlacedCase(name: "three after polyphonic characters", run: "长行香奈尔", found: 1),
        PlacedCase(name: "four after three", run: "古驰谷阿迪大斯", found: 1),
        PlacedCase(name: "two at the end of a long run", run: "香奈儿阿迪达斯银行古池", found: 1),
        PlacedCase(name: "after a character without readings", run: "マ香奈尔ㄅ谷驰", found: 2),
        // Anchored by its third character only: the first two differ (the anchors must look that far).
        PlacedCase(name: "four, its first two swapped", run: "啊滴达斯", found: 1),
    ]

    @Test(arguments: placedCases)
    func findsNamesPlacedAfterOtherCharacters(_ entry: PlacedCase) {
        let names = Self.names.map { Array($0.unicodeScalars) }
        let index = HomophoneIndex(names: names, isCommonWord: { Self.isCommonWord($0) })
        let run = Array(entry.run.unicodeScalars)
        let found = index.find(in: run)
        #expect(found == Self.reference(names, run))
        #expect(found.count == entry.found)
    }

    @Test(arguments: cases)
    func findAgreesWithTheDefinition(_ entry: Case) {
        let names = Self.names.map { Array($0.unicodeScalars) }
        let index = HomophoneIndex(names: names, isCommonWord: { Self.isCommonWord($0) })
        var random = SplitMix64(seed: entry.seed)
        var hits = 0
        for _ in 0..<400 {
            let length = Int(random.next() % UInt64(entry.maxLength + 1))
            let run = (0..<length).map { _ in Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] }
            let found = index.find(in: run)
            hits += found.count
            #expect(found == Self.reference(names, run), "\(String(String.UnicodeScalarView(run)))")
        }
        #expect(hits > 0, "the runs should hold homophones")
    }
}
