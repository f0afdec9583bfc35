import Testing
@testable import MarkgateIO

/// Numbers read by the readers' fast path agree with `Double(text)`, bit for bit.
struct ManifestFieldsTests {
    static let numberCases: [String] = [
        "0", "12", "12.5", "12.50", "0.1", "0.3", "1.1", "-3.5", "+4", "007", "5.", ".5", "123456789012345",
        "1234567890123456", "99999999999999999999", "0.000000000000000000001", "1e3", "1E-2", "inf", "nan", "",
        ".", "-", "1.2.3", "1,5", " 1", "1 ", "0x10", "３", "179.99", "0.57", "19.990000000000002",
    ] + powerOfTenCases

    /// A number for each exact power of ten the fast path divides by (1 to 22 digits after the point), and for
    /// one past them.
    static let powerOfTenCases: [String] = (1...23).flatMap { (places: Int) -> [String] in
        let zeros = String(repeating: "0", count: places - 1)
        let threes = String(repeating: "3", count: places)
        return ["0.\(zeros)7", "-12.\(threes)", "1.\(zeros)0"]
    }

    @Test(arguments: numberCases)
    func numberAgreesWithDouble(_ text: String) {
        let fast = ManifestFields.number(text)
        let reference = Double(text)
        #expect(fast?.bitPattern == reference?.bitPattern, "\(text): \(String(describing: fast)) vs \(String(describing: reference))")
    }

    @Test func randomDecimalsAgreeWithDouble() {
        var state: UInt64 = 42
        func next() -> UInt64 {     // a fixed sequence (64-bit LCG, high bits): the same cases every run
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 16
        }
        for _ in 0..<20_000 {
            let whole = next() % 1_000_000_000
            let fractionDigits = Int(next() % 9)
            var text = String(whole)
            if fractionDigits > 0 {
                let fraction = next() % 1_000_000_000
                text += "." + String(String(fraction).prefix(fractionDigits))
            }
            #expect(ManifestFields.number(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    static let trimCases: [String] = [
        "", " ", "NIKE", " NIKE ", "\tNIKE\r\n", "\u{3000}耐克\u{3000}", "\u{A0}x\u{2028}", "\u{85}a b\u{85}",
        "\u{200B}NIKE\u{200B}", "\u{1}x\u{1F}", "é ", " é", "a\u{2009}\u{202F}", "\u{1680}\u{205F}",
    ]

    /// The definition the CSV and labels readers used before the trim was shared with the XML reader.
    @Test(arguments: trimCases)
    func trimmedDropsUnicodeWhiteSpaceAtEitherEnd(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        let kept = scalars.drop(while: \.properties.isWhitespace).reversed().drop(while: \.properties.isWhitespace)
        var expected = ""
        expected.unicodeScalars.append(contentsOf: kept.reversed())
        #expect(Array(ManifestFields.trimmed(text).unicodeScalars) == Array(expected.unicodeScalars),
                "\(text.debugDescription)")
    }
}
