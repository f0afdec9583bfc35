import MarkgateTestSupport
import Testing
@testable import MarkgateCore

/// The definition, written plainly: at each scalar position from the left, the longest pattern occurrence
/// that starts there and passes the word boundaries; then go on after it.
func naiveLeftmostLongest(patterns: [[Unicode.Scalar]], haystack: [Unicode.Scalar]) -> [Automaton.Match] {
    func wordClass(_ s: Unicode.Scalar) -> Int {
        switch s {
        case "a", "b", "c", "é": return 1
        case "1", "2": return 2
        default: return 0
        }
    }
    func byteOffset(_ scalarOffset: Int) -> Int {
        haystack[..<scalarOffset].reduce(0) { $0 + String($1).utf8.count }
    }
    var result: [Automaton.Match] = []
    var position = 0
    while position < haystack.count {
        var best: (pattern: Int, length: Int)?
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
            let end = position + pattern.count
            guard end <= haystack.count, Array(haystack[position..<end]) == pattern else { continue }
            let first = wordClass(pattern[0]), last = wordClass(pattern[pattern.count - 1])
            if first != 0, position > 0, wordClass(haystack[position - 1]) == first { continue }
            if last != 0, end < haystack.count, wordClass(haystack[end]) == last { continue }
            let isLonger = best.map { pattern.count > $0.length } ?? true
            let isFirstOfEqual = patterns.firstIndex(of: pattern) == index
            if isLonger && isFirstOfEqual { best = (index, pattern.count) }
        }
        if let best {
            result.append(Automaton.Match(pattern: best.pattern, start: byteOffset(position),
                                          end: byteOffset(position + best.length)))
            position += best.length
        } else {
            position += 1
        }
    }
    return result
}

@Test("The automaton agrees with the naive search on random names and texts", arguments: [1, 40, 1 << 22])
func differential(denseBudget: Int) {
    let alphabet: [Unicode.Scalar] = ["a", "b", "c", " ", "耐", "克", "é", "1", "2"]
    var random = SplitMix64(seed: 0x6D61_726B_6761_7465)
    for round in 0..<400 {
        let patterns = (0..<Int.random(in: 1...8, using: &random)).map { _ in
            (0..<Int.random(in: 1...4, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
        }
        let automaton = Automaton(patterns: patterns.map { Array(String(String.UnicodeScalarView($0)).utf8) },
                                  denseBudget: denseBudget)
        for _ in 0..<20 {
            let haystack = (0..<Int.random(in: 0...30, using: &random)).map { _ in
                alphabet.randomElement(using: &random)!
            }
            let bytes = Array(String(String.UnicodeScalarView(haystack)).utf8)
            let expected = naiveLeftmostLongest(patterns: patterns, haystack: haystack)
            let actual = automaton.leftmostLongest(in: bytes)
            #expect(actual == expected, "round \(round): patterns \(patterns) haystack \(haystack)")
            if actual != expected { return }
        }
    }
}

@Test("Long haystacks, scanned in four lanes, agree with the naive search",
      arguments: [1, 1 << 22])
func differentialLong(denseBudget: Int) {
    let alphabet: [Unicode.Scalar] = ["a", "b", " ", "耐", "克", "1"]
    var random = SplitMix64(seed: 0x6C6F_6E67)
    for round in 0..<60 {
        let patterns = (0..<Int.random(in: 1...6, using: &random)).map { _ in
            (0..<Int.random(in: 1...5, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
        }
        let automaton = Automaton(patterns: patterns.map { Array(String(String.UnicodeScalarView($0)).utf8) },
                                  denseBudget: denseBudget)
        let haystack = (0..<Int.random(in: 100...1500, using: &random)).map { _ in
            alphabet.randomElement(using: &random)!
        }
        let bytes = Array(String(String.UnicodeScalarView(haystack)).utf8)
        let expected = naiveLeftmostLongest(patterns: patterns, haystack: haystack)
        let actual = automaton.leftmostLongest(in: bytes)
        #expect(actual == expected, "round \(round): patterns \(patterns), \(bytes.count) bytes")
        if actual != expected { return }
    }
}
