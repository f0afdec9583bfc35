import Testing
@testable import MarkgateCore

/// Marks made up for these tests (not the shipped register's), so the core is tested on its own.
let testRegister = Register(marks: [
    Mark(id: "ZORBEX", names: ["ZORBEX", "佐贝斯"], kind: .trademark, classes: [25]),
    Mark(id: "KALMO", names: ["Kalmo Vintra", "KALMO"], variants: ["KALLMO"], classes: [18]),
    Mark(id: "HERVEL", names: ["Hervèl"], classes: [3]),
    Mark(id: "PEAR", names: ["PEAR", "梨子"], genericNames: ["PEAR", "梨子"], context: ["pearphone"]),
    Mark(id: "TWIN-A", names: ["Tessel"]),
    Mark(id: "TWIN-B", names: ["TESSEL"]),
    Mark(id: "BLANK", names: ["***"]),
])

/// An expected hit: mark, matched original characters, scalar offsets, method.
struct HitCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let hits: [String]     // "MARK matched start..<end method"
    var testDescription: String { name }
}

let hitCases: [HitCase] = [
    HitCase(name: "none", text: "plain cotton shirt", hits: []),
    HitCase(name: "exact-latin", text: "ZORBEX shoes", hits: ["ZORBEX ZORBEX 0..<6 exact"]),
    HitCase(name: "exact-cjk", text: "正品佐贝斯鞋", hits: ["ZORBEX 佐贝斯 2..<5 exact"]),
    HitCase(name: "case", text: "new Zorbex", hits: ["ZORBEX Zorbex 4..<10 normalized"]),
    HitCase(name: "fullwidth", text: "ＺＯＲＢＥＸ鞋", hits: ["ZORBEX ＺＯＲＢＥＸ 0..<6 normalized"]),
    HitCase(name: "homoglyph", text: "ZОRВЕX", hits: ["ZORBEX ZОRВЕX 0..<6 homoglyph"]),
    HitCase(name: "zero-width", text: "ZOR\u{200B}BEX", hits: ["ZORBEX ZOR\u{200B}BEX 0..<7 normalized"]),
    HitCase(name: "traditional", text: "佐貝斯", hits: ["ZORBEX 佐貝斯 0..<3 traditional"]),
    HitCase(name: "cjk-spaced", text: "佐 贝 斯", hits: ["ZORBEX 佐 贝 斯 0..<5 normalized"]),
    HitCase(name: "boundary", text: "ZORBEXX", hits: []),
    HitCase(name: "glued-to-digits", text: "ZORBEX2024", hits: ["ZORBEX ZORBEX 0..<6 exact"]),
    HitCase(name: "longest-wins", text: "kalmo vintra bag", hits: ["KALMO kalmo vintra 0..<12 normalized"]),
    HitCase(name: "multi-word-punctuated", text: "Kalmo-Vintra", hits: ["KALMO Kalmo-Vintra 0..<12 normalized"]),
    HitCase(name: "shorter-name", text: "kalmo bag", hits: ["KALMO kalmo 0..<5 normalized"]),
    HitCase(name: "variant", text: "KALLMO", hits: ["KALMO KALLMO 0..<6 variant"]),
    HitCase(name: "diacritics", text: "HERVEL cream", hits: ["HERVEL HERVEL 0..<6 normalized"]),
    HitCase(name: "diacritics-exact", text: "Hervèl", hits: ["HERVEL Hervèl 0..<6 exact"]),
    HitCase(name: "shared-name", text: "tessel", hits: ["TWIN-A tessel 0..<6 normalized", "TWIN-B tessel 0..<6 normalized"]),
    HitCase(name: "two-marks", text: "ZORBEX + KALMO", hits: ["ZORBEX ZORBEX 0..<6 exact", "KALMO KALMO 9..<14 exact"]),
    HitCase(name: "astral-offsets", text: "🔥ZORBEX🔥", hits: ["ZORBEX ZORBEX 1..<7 exact"]),
]

@Test(arguments: hitCases)
func hits(_ testCase: HitCase) {
    let matcher = MarkMatcher(register: testRegister)
    let described = matcher.hits(in: testCase.text).map {
        "\($0.mark) \($0.matched) \($0.start)..<\($0.end) \($0.method.rawValue)"
    }
    #expect(described == testCase.hits)
}

@Test("Hits from the issue's example: ＮＩＫＥ and 耐克 with spans of the original characters")
func issueExample() {
    let register = Register(marks: [Mark(id: "NIKE", names: ["NIKE", "耐克"], classes: [25, 28])])
    let text = "ＮＩＫＥ Air ﾏｯｸｽ 正品耐克運動鞋"
    let hits = MarkMatcher(register: register).hits(in: text)
    #expect(hits.map(\.matched) == ["ＮＩＫＥ", "耐克"])
    #expect(hits.map(\.start) == [0, 16])
    #expect(hits.map(\.end) == [4, 18])
    #expect(hits.map(\.method) == [.normalized, .exact])
    let scalars = Array(text.unicodeScalars)
    for hit in hits {
        #expect(String(String.UnicodeScalarView(scalars[hit.start..<hit.end])) == hit.matched)
    }
}

@Test("Names that normalize to nothing are reported, not matched")
func unmatchableNames() {
    let matcher = MarkMatcher(register: testRegister)
    #expect(matcher.unmatchableNames.map(\.mark) == ["BLANK"])
    #expect(matcher.hits(in: "*** sale ***").isEmpty)
}

@Test("Text repaired from invalid UTF-8 is screened without a crash")
func repairedText() {
    let bytes: [UInt8] = [0xFF, 0x20] + Array("ZORBEX".utf8) + [0xC3]
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(MarkMatcher(register: testRegister).hits(in: text).map(\.start) == [2])
}
