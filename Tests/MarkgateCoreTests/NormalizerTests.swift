import Testing
@testable import MarkgateCore

/// A normalization case: input and the normalized key.
struct FoldCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: String
    let key: String
    init(_ name: String, _ input: String, _ key: String) {
        self.name = name
        self.input = input
        self.key = key
    }
    var testDescription: String { name }
}

let foldCases: [FoldCase] = [
    FoldCase("empty", "", ""),
    FoldCase("ascii-case", "NiKe Air", "nike air"),
    FoldCase("fullwidth-latin", "ＮＩＫＥ", "nike"),
    FoldCase("halfwidth-katakana", "ﾏｯｸｽ", "マックス"),
    FoldCase("halfwidth-voiced-mark", "ｶﾞﾝﾀﾞﾑ", "ガンダム"),
    FoldCase("combining-voiced-mark", "カ\u{3099}", "ガ"),
    FoldCase("diacritics-precomposed", "Hermès Lancôme Estée", "hermes lancome estee"),
    FoldCase("diacritics-combining", "Herme\u{300}s", "hermes"),
    FoldCase("sharp-s", "Straße", "strasse"),
    FoldCase("ligature", "ﬁne", "fine"),
    FoldCase("circled-digit", "①", "1"),
    FoldCase("zero-width-space", "Ro\u{200B}lex", "rolex"),
    FoldCase("zero-width-joiner", "G\u{200D}UCCI", "gucci"),
    FoldCase("soft-hyphen", "Pra\u{AD}da", "prada"),
    FoldCase("byte-order-mark", "\u{FEFF}Dior", "dior"),
    FoldCase("cyrillic-capitals", "СНАNEL", "chanel"),
    FoldCase("cyrillic-lower", "ѕupreme", "supreme"),
    FoldCase("greek-capitals", "ΝΙΚΕ", "nike"),
    FoldCase("traditional", "香奈兒運動鞋", "香奈儿运动鞋"),
    FoldCase("traditional-and-simplified-both", "乾隆", "乾隆"),
    FoldCase("compatibility-ideograph", "\u{F900}", "岂"),
    FoldCase("cjk-space-dropped", "耐 克", "耐克"),
    FoldCase("cjk-ideographic-space-dropped", "耐\u{3000}克", "耐克"),
    FoldCase("cjk-punctuation-dropped", "耐·克", "耐克"),
    FoldCase("latin-cjk-space-kept", "nike 耐克", "nike 耐克"),
    FoldCase("separators-collapse", "Louis -- Vuitton!!", "louis vuitton"),
    FoldCase("trim", "  ** Gucci **  ", "gucci"),
    FoldCase("tab-newline", "Ray\t-\nBan", "ray ban"),
    FoldCase("trademark-sign", "NIKE®", "nike"),
    FoldCase("apostrophe", "Levi's", "levi s"),
    FoldCase("currency-kept", "$upreme", "$upreme"),
    FoldCase("digits-kept", "N1KE R0LEX", "n1ke r0lex"),
    FoldCase("fullwidth-punctuation", "ＮＩＫＥ！（正品）", "nike 正品"),
    FoldCase("emoji-is-separator", "nike🔥shoes", "nike shoes"),
    FoldCase("hangul-kept", "삼성", "삼성"),
]

@Test(arguments: foldCases)
func fold(_ testCase: FoldCase) {
    #expect(Normalizer().key(testCase.input) == testCase.key)
}

@Test(arguments: foldCases)
func foldIsIdempotent(_ testCase: FoldCase) {
    let normalizer = Normalizer()
    let once = normalizer.key(testCase.input)
    #expect(normalizer.key(once) == once)
}

/// Offset-map cases: the original scalar range behind each normalized byte range.
struct OffsetCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: String
    let normalized: String     // a substring of the key to locate
    let source: Range<Int>     // its original scalar range
    var testDescription: String { name }
}

let offsetCases: [OffsetCase] = [
    OffsetCase(name: "identity", input: "buy nike now", normalized: "nike", source: 4..<8),
    OffsetCase(name: "fullwidth", input: "ＮＩＫＥ Air", normalized: "nike", source: 0..<4),
    OffsetCase(name: "expansion", input: "ﬁne", normalized: "fi", source: 0..<1),
    OffsetCase(name: "zero-width-inside", input: "x Ro\u{200B}lex", normalized: "rolex", source: 2..<8),
    OffsetCase(name: "voiced-mark-composed", input: "ｶﾞﾝ", normalized: "ガ", source: 0..<2),
    OffsetCase(name: "combining-accent", input: "Herme\u{300}s", normalized: "hermes", source: 0..<7),
    OffsetCase(name: "cjk-spaced", input: "正品耐 克鞋", normalized: "耐克", source: 2..<5),
    OffsetCase(name: "astral-before", input: "🔥🔥nike", normalized: "nike", source: 2..<6),
    OffsetCase(name: "separator-run", input: "louis -- vuitton", normalized: "louis vuitton", source: 0..<16),
]

@Test(arguments: offsetCases)
func offsets(_ testCase: OffsetCase) throws {
    let text = Normalizer().normalize(testCase.input)
    let needle = Array(testCase.normalized.utf8)
    let start = try #require(text.bytes.indices.first { text.bytes[$0...].starts(with: needle) })
    #expect(text.sourceRange(of: start..<start + needle.count) == testCase.source)
    #expect(text.bytes.count == text.sourceStart.count && text.bytes.count == text.sourceEnd.count)
}

@Test("Fold flags record homoglyph and traditional folding")
func foldFlags() {
    let normalizer = Normalizer()
    let cyrillic = normalizer.normalize("СНАNEL")
    #expect(cyrillic.flags(of: 0..<cyrillic.bytes.count).contains(.homoglyph))
    let traditional = normalizer.normalize("香奈兒")
    #expect(traditional.flags(of: 0..<traditional.bytes.count).contains(.traditional))
    let plain = normalizer.normalize("chanel")
    #expect(plain.flags(of: 0..<plain.bytes.count).isEmpty)
}
