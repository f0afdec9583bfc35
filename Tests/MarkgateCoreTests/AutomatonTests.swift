import Testing
@testable import MarkgateCore

/// A match-semantics case: patterns, haystack, expected `(pattern, start, end)` in bytes.
struct SearchCase: CustomTestStringConvertible, Sendable {
    let name: String
    let patterns: [String]
    let haystack: String
    let expected: [Automaton.Match]

    init(_ name: String, _ patterns: [String], _ haystack: String, _ expected: [(Int, Int, Int)]) {
        self.name = name
        self.patterns = patterns
        self.haystack = haystack
        self.expected = expected.map { Automaton.Match(pattern: $0.0, start: $0.1, end: $0.2) }
    }

    var testDescription: String { name }
}

/// Leftmost-longest with word boundaries: the semantics markgate screens with.
let leftmostLongestCases: [SearchCase] = [
    SearchCase("basic000", [], "", []),
    SearchCase("basic001", ["a"], "", []),
    SearchCase("basic002", ["a"], "a", [(0, 0, 1)]),
    SearchCase("basic003", ["a"], "a a", [(0, 0, 1), (0, 2, 3)]),
    SearchCase("basic004", ["a"], "aa", []),
    SearchCase("basic005", ["abc"], "x abc y", [(0, 2, 5)]),
    SearchCase("basic006", ["abc", "xyz"], "xyz abc", [(1, 0, 3), (0, 4, 7)]),
    SearchCase("basic007", [""], "abc", []),
    SearchCase("longest000", ["ab", "abcd"], "abcd", [(1, 0, 4)]),
    SearchCase("longest001", ["abcd", "ab"], "ab cd", [(1, 0, 2)]),
    SearchCase("longest002", ["louis", "louis vuitton"], "louis vuitton bag", [(1, 0, 13)]),
    SearchCase("longest003", ["louis", "louis vuitton"], "louis vuitto bag", [(0, 0, 5)]),
    SearchCase("leftmost000", ["b c", "a b"], "a b c", [(1, 0, 3)]),
    SearchCase("leftmost001", ["b c d", "a b"], "a b c d", [(1, 0, 3)]),
    SearchCase("leftmost002", ["a b", "b c d"], "x b c d", [(1, 2, 7)]),
    SearchCase("overlap000", ["耐克", "克耐"], "耐克耐", [(0, 0, 6)]),
    SearchCase("overlap001", ["乐高", "高兴"], "快乐高兴", [(0, 3, 9)]),
    SearchCase("overlap002", ["香奈儿", "奈儿"], "香奈儿", [(0, 0, 9)]),
    SearchCase("overlap003", ["奈儿", "香奈儿"], "小香奈儿", [(1, 3, 12)]),
    SearchCase("boundary000", ["apple"], "pineapple", []),
    SearchCase("boundary001", ["apple"], "apple juice", [(0, 0, 5)]),
    SearchCase("boundary002", ["apple"], "applejuice", []),
    SearchCase("boundary003", ["nike"], "nike2024", [(0, 0, 4)]),
    SearchCase("boundary004", ["3m"], "13m", []),
    SearchCase("boundary005", ["3m"], "3m tape", [(0, 0, 2)]),
    SearchCase("boundary006", ["nike"], "正品nike鞋", [(0, 6, 10)]),
    SearchCase("boundary007", ["nike"], "xnike", []),
    SearchCase("boundary008", ["nike"], "énike", []),
    SearchCase("boundary009", ["nike"], "$nike", [(0, 1, 5)]),
    SearchCase("boundary010", ["耐克"], "正品耐克鞋", [(0, 6, 12)]),
    SearchCase("boundary011", ["pineapple", "apple"], "pineapple", [(0, 0, 9)]),
    SearchCase("boundary012", ["ab", "abc"], "abcd ab", [(0, 5, 7)]),
    SearchCase("boundary013", ["a b", "b c"], "xa b c", [(1, 3, 6)]),
    SearchCase("boundary014", ["小米note"], "小米notes 小米note", [(0, 12, 22)]),
    SearchCase("boundary015", ["lv"], "lv", [(0, 0, 2)]),
    SearchCase("boundary016", ["lv"], "lvl lv", [(0, 4, 6)]),
    SearchCase("duplicate000", ["nike", "nike"], "nike", [(0, 0, 4)]),
    SearchCase("failure000", ["abcd", "bcx"], "abcx", []),
    SearchCase("failure001", ["abcd", "bc"], "abc", []),
    SearchCase("failure002", ["abcd", "b c"], "ab c", []),
    SearchCase("failure003", ["耐克鞋", "克"], "耐克", [(1, 3, 6)]),
    SearchCase("failure004", ["aaab", "aab"], "aaaab aab", [(1, 6, 9)]),
]

@Test(arguments: leftmostLongestCases)
func leftmostLongest(_ testCase: SearchCase) {
    let automaton = Automaton(patterns: testCase.patterns.map { Array($0.utf8) })
    #expect(automaton.leftmostLongest(in: Array(testCase.haystack.utf8)) == testCase.expected)
}

@Test(arguments: leftmostLongestCases)
func leftmostLongestWithSparseStates(_ testCase: SearchCase) {
    // A dense budget of one row leaves every state but the root sparse: the failure-link path.
    let automaton = Automaton(patterns: testCase.patterns.map { Array($0.utf8) }, denseBudget: 1)
    #expect(automaton.leftmostLongest(in: Array(testCase.haystack.utf8)) == testCase.expected)
}

/// Overlapping semantics: every occurrence, without boundary rules, in order of end.
let overlappingCases: [SearchCase] = [
    SearchCase("overlapping000", ["a"], "aaa", [(0, 0, 1), (0, 1, 2), (0, 2, 3)]),
    SearchCase("overlapping001", ["aa"], "aaa", [(0, 0, 2), (0, 1, 3)]),
    SearchCase("overlapping002", ["abcd", "bc", "c"], "abcd", [(1, 1, 3), (2, 2, 3), (0, 0, 4)]),
    SearchCase("overlapping003", ["he", "she", "his", "hers"], "ushers",
               [(1, 1, 4), (0, 2, 4), (3, 2, 6)]),
    SearchCase("overlapping004", ["apple"], "pineapple", [(0, 4, 9)]),
]

@Test(arguments: overlappingCases)
func overlapping(_ testCase: SearchCase) {
    for budget in [1 << 22, 1] {
        let automaton = Automaton(patterns: testCase.patterns.map { Array($0.utf8) }, denseBudget: budget)
        #expect(automaton.allMatches(in: Array(testCase.haystack.utf8)) == testCase.expected)
    }
}

@Test("Invalid UTF-8 in the haystack neither crashes nor breaks matching around it")
func invalidUTF8() {
    let automaton = Automaton(patterns: [Array("nike".utf8), Array("耐克".utf8)])
    // 0xFF never occurs in UTF-8; E8 80 is a truncated sequence; C3 is a lead byte with no continuation.
    let haystack: [UInt8] = [0xFF, 0x20] + Array("nike".utf8) + [0x20, 0xE8, 0x80] + Array("耐克".utf8)
        + [0xC3] + Array("nike".utf8)
    let expected = [(0, 2, 6), (1, 9, 15), (0, 16, 20)].map { Automaton.Match(pattern: $0.0, start: $0.1, end: $0.2) }
    #expect(automaton.leftmostLongest(in: haystack) == expected)
}

@Test("A huge haystack is scanned in one pass and every occurrence is found")
func hugeHaystack() {
    let automaton = Automaton(patterns: [Array("gucci".utf8), Array("古驰".utf8)])
    let unit = Array("plain cotton shirt gucci 古驰 belt ".utf8)
    var haystack: [UInt8] = []
    haystack.reserveCapacity(unit.count * 200_000)
    for _ in 0..<200_000 { haystack.append(contentsOf: unit) }
    #expect(haystack.count > 7_000_000)
    #expect(automaton.leftmostLongest(in: haystack).count == 400_000)
}

/// Offsets, relative to each lane cut, at which a name is placed: every start from a whole name before the
/// cut to just after it, so that every way of straddling a cut is tried.
let cutOffsets = Array(-10...2)

@Test("A name straddling a lane cut is found once, by the lane it starts in", arguments: cutOffsets)
func nameAcrossLaneCut(offset: Int) {
    for name in ["abcdefgh", "耐克运动"] {
        let automaton = Automaton(patterns: [Array(name.utf8), Array("zz".utf8)])
        let length = 1024
        #expect(length >= Automaton.interleaveThreshold && length >= 16 * automaton.maxPatternLength)
        for cut in [length / 4, length / 2, 3 * length / 4] {
            var haystack = [UInt8](repeating: 0x20, count: length)
            let start = cut + offset
            haystack.replaceSubrange(start..<start + name.utf8.count, with: name.utf8)
            let expected = [Automaton.Match(pattern: 0, start: start, end: start + name.utf8.count)]
            #expect(automaton.leftmostLongest(in: haystack) == expected, "\(name) at cut \(cut) + \(offset)")
        }
    }
}
