import Testing
@testable import MarkgateCore

struct ScalarStringCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    /// The slice taken, in scalars.
    let range: Range<Int>
    var testDescription: String { name }
}

let scalarStringCases: [ScalarStringCase] = [
    ScalarStringCase(name: "empty", text: "", range: 0..<0),
    ScalarStringCase(name: "empty-slice-inside", text: "nike", range: 2..<2),
    ScalarStringCase(name: "ascii", text: "nike air", range: 0..<8),
    ScalarStringCase(name: "ascii-middle", text: "real nike shoes", range: 5..<9),
    ScalarStringCase(name: "two-byte", text: "Hermès", range: 3..<6),
    ScalarStringCase(name: "three-byte-han", text: "正品耐克鞋", range: 2..<4),
    ScalarStringCase(name: "four-byte", text: "𠮷野家 ok", range: 0..<3),
    ScalarStringCase(name: "combining", text: "e\u{301}te\u{301}", range: 1..<4),
    ScalarStringCase(name: "mixed", text: "ＮＩＫＥ Air 正品耐克運動鞋 𝐍", range: 0..<18),
    ScalarStringCase(name: "long", text: String(repeating: "古驰é", count: 40), range: 7..<100),
]

@Test(arguments: scalarStringCases)
func stringFromScalars(_ testCase: ScalarStringCase) {
    let scalars = Array(testCase.text.unicodeScalars)
    let slice = scalars[testCase.range]
    let reference = String(String.UnicodeScalarView(slice))
    let made = String(scalars: slice)
    #expect(made == reference)
    #expect(Array(made.utf8) == Array(reference.utf8))
    #expect(made.unicodeScalars.elementsEqual(slice))
}
