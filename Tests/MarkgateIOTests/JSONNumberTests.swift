import MarkgateTestSupport
import Testing
@testable import MarkgateIO

/// `JSONNumber` prints what the writers printed before it had a fast path: whole values as integers, others as
/// `String(value)` (Swift's shortest round-trip form), non-finite values as `null`.
struct JSONNumberTests {
    /// The definition the fast path must keep to.
    static func reference(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let value: Double
        let text: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a price", value: 19.9, text: "19.9"),
        Case(name: "cents", value: 0.01, text: "0.01"),
        Case(name: "a negative price", value: -3.25, text: "-3.25"),
        Case(name: "a score", value: 0.95, text: "0.95"),
        Case(name: "a sum with a binary tail", value: 0.1 + 0.2, text: "0.30000000000000004"),
        Case(name: "a weight sum", value: 0.5700000000000001, text: "0.5700000000000001"),
        Case(name: "four decimals", value: 0.0001, text: "0.0001"),
        Case(name: "five decimals", value: 0.00001, text: "1e-05"),
        Case(name: "whole", value: 2, text: "2"),
        Case(name: "negative zero", value: -0.0, text: "0"),
        Case(name: "large whole", value: 123_456_789_012_345, text: "123456789012345"),
        Case(name: "whole beyond 1e15", value: 1e16, text: "1e+16"),
        Case(name: "a decimal above a billion", value: 1_234_567_890.5, text: "1234567890.5"),
        Case(name: "not a number", value: .nan, text: "null"),
        Case(name: "infinity", value: -.infinity, text: "null"),
        Case(name: "a third", value: 1.0 / 3.0, text: "0.3333333333333333"),
    ]

    @Test(arguments: cases)
    func printsTheShortestForm(_ testCase: Case) {
        #expect(JSONNumber.text(testCase.value) == testCase.text)
        #expect(JSONNumber.text(testCase.value) == Self.reference(testCase.value))
    }

    /// Every value with up to four decimals in a range, and random ones near the billion bound, against
    /// `String(value)`.
    @Test func agreesWithTheReferenceOnDecimals() {
        var mismatches: [String] = []
        for scale in [10.0, 100, 1_000, 10_000] {
            for whole in 0..<200_000 {
                let value = Double(whole) / scale
                for signed in [value, -value] where JSONNumber.text(signed) != Self.reference(signed) {
                    mismatches.append("\(signed): \(JSONNumber.text(signed)) vs \(Self.reference(signed))")
                }
            }
        }
        var random = SplitMix64(seed: 5)
        for _ in 0..<200_000 {
            let digits = Double(random.next() % 10_000_000_000_000)
            let value = digits / [10.0, 100, 1_000, 10_000][Int(random.next() % 4)]
            let noisy = Double(bitPattern: value.bitPattern &+ (random.next() % 3) &- 1)   // and its neighbours
            for candidate in [value, noisy] where JSONNumber.text(candidate) != Self.reference(candidate) {
                mismatches.append("\(candidate): \(JSONNumber.text(candidate)) vs \(Self.reference(candidate))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
