@testable import MarkgateCore
import Testing

/// Elements, which of them the transform maps (to ten times themselves), and what `firstMapped` gives.
struct FirstMappedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var elements: [Int]
    var mapped: Set<Int>
    var first: Int?
    /// How many times the transform runs: once per element up to the first it maps.
    var calls: Int

    var testDescription: String { name }
}

private let firstMappedCases: [FirstMappedCase] = [
    FirstMappedCase(name: "empty", elements: [], mapped: [], first: nil, calls: 0),
    FirstMappedCase(name: "none mapped: every element tried once", elements: [1, 2, 3], mapped: [], first: nil,
                    calls: 3),
    FirstMappedCase(name: "the first element mapped: one call", elements: [1, 2, 3], mapped: [1, 3], first: 10,
                    calls: 1),
    FirstMappedCase(name: "a later element: the ones before it and itself", elements: [1, 2, 3], mapped: [3],
                    first: 30, calls: 3),
]

/// Regression: `Screener.decide` took a mark's price-floor and class reasons from `lazy.compactMap { … }.first`,
/// which runs the transform twice for the element it returns, so the price reason's text was built twice.
@Suite struct SequenceFirstMappedTests {
    @Test("firstMapped runs its transform once per element up to the first mapped", arguments: firstMappedCases)
    func firstMapped(_ testCase: FirstMappedCase) {
        var calls = 0
        let first = testCase.elements.firstMapped { element -> Int? in
            calls += 1
            return testCase.mapped.contains(element) ? element * 10 : nil
        }
        #expect(first == testCase.first)
        #expect(calls == testCase.calls)
    }
}
