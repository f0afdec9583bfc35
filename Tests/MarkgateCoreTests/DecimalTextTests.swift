import MarkgateCore
import Testing

/// `DecimalText.text` prints what reasons printed before it had a fast path: whole values as integers, others
/// as `String(value)`, Swift's shortest round-trip form.
struct DecimalTextTests {
    /// The definition the fast path must keep to (`Screener.format` before it).
    static func reference(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let value: Double
        let text: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "a price", value: 19.9, text: "19.9"),
        Case(name: "cents", value: 0.05, text: "0.05"),
        Case(name: "a negative price", value: -3.25, text: "-3.25"),
        Case(name: "a converted price", value: 2.7607, text: "2.7607"),
        Case(name: "a sum with a binary tail", value: 0.1 + 0.2, text: "0.30000000000000004"),
        Case(name: "five decimals", value: 0.00001, text: "1e-05"),
        Case(name: "whole", value: 500, text: "500"),
        Case(name: "negative zero", value: -0.0, text: "0"),
        Case(name: "whole beyond 1e15", value: 1e16, text: "1e+16"),
        Case(name: "a decimal above a billion", value: 1_234_567_890.5, text: "1234567890.5"),
        Case(name: "not a number", value: .nan, text: "nan"),
        Case(name: "infinity", value: -.infinity, text: "-inf"),
    ])
    func printsTheShortestForm(_ testCase: Case) {
        #expect(DecimalText.text(testCase.value) == testCase.text)
        #expect(DecimalText.text(testCase.value) == Self.reference(testCase.value))
    }

    @Test(arguments: [0, 7, -7, 42, 1_000_000, Int.max, Int.min])
    func wholeNumbersAreTheirDescription(_ value: Int) {
        #expect(DecimalText.withDigits(of: value) { String(decoding: $0, as: UTF8.self) } == String(value))
    }

    /// Every value with up to four decimals below 20 (and its two neighbouring doubles), against the reference.
    @Test func agreesWithTheReferenceOnDecimals() {
        var mismatches: [String] = []
        for scale in [10.0, 100, 1_000, 10_000] {
            for whole in 0..<200_000 {
                let value = Double(whole) / scale
                for candidate in [value, -value, value.nextUp, value.nextDown]
                where DecimalText.text(candidate) != Self.reference(candidate) {
                    mismatches.append("\(candidate): \(DecimalText.text(candidate)) vs \(Self.reference(candidate))")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
