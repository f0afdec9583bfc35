import Testing
@testable import MarkgateCore

/// A pinyin case: a scalar, its expected first reading (nil: no readings) and readings it must also have.
struct LexiconPinyinCase: CustomTestStringConvertible, Sendable {
    let name: String
    let scalar: Unicode.Scalar
    let first: String?
    let also: [String]
    init(_ name: String, _ scalar: Unicode.Scalar, _ first: String?, also: [String] = []) {
        self.name = name
        self.scalar = scalar
        self.first = first
        self.also = also
    }
    var testDescription: String { name }
}

let lexiconPinyinCases: [LexiconPinyinCase] = [
    LexiconPinyinCase("nai-耐", "耐", "nai"),
    LexiconPinyinCase("ke-克", "克", "ke"),
    LexiconPinyinCase("xiang-香", "香", "xiang"),
    LexiconPinyinCase("nai-奈", "奈", "nai"),
    LexiconPinyinCase("er-儿", "儿", "er"),
    LexiconPinyinCase("lao-劳", "劳", "lao"),
    LexiconPinyinCase("li-力", "力", "li"),
    LexiconPinyinCase("shi-士", "士", "shi"),
    LexiconPinyinCase("mai-迈", "迈", "mai"),
    LexiconPinyinCase("di-蒂", "蒂", "di"),
    LexiconPinyinCase("fu-芙", "芙", "fu"),
    LexiconPinyinCase("ni-尼", "尼", "ni"),
    LexiconPinyinCase("gu-谷", "谷", "gu"),
    LexiconPinyinCase("gu-古", "古", "gu"),
    LexiconPinyinCase("chi-驰", "驰", "chi"),
    LexiconPinyinCase("lan-兰", "兰", "lan"),
    LexiconPinyinCase("kou-蔻", "蔻", "kou"),
    LexiconPinyinCase("kou-扣", "扣", "kou"),
    LexiconPinyinCase("umlaut-女", "女", "nv"),
    LexiconPinyinCase("umlaut-绿", "绿", "lv"),
    LexiconPinyinCase("first-of-URO-一", "\u{4E00}", "yi"),
    LexiconPinyinCase("extension-A", "\u{3400}", "qiu"),
    LexiconPinyinCase("second-reading-行", "行", "xing", also: ["hang"]),
    LexiconPinyinCase("second-reading-乐", "乐", "le", also: ["yue"]),
    LexiconPinyinCase("traditional-兒", "兒", "er"),
    LexiconPinyinCase("no-kMandarin", "\u{3402}", nil),
    LexiconPinyinCase("ascii", "a", nil),
    LexiconPinyinCase("kana", "カ", nil),
    LexiconPinyinCase("compatibility-ideograph", "\u{F900}", nil),
    LexiconPinyinCase("extension-B", "\u{20000}", nil),
    LexiconPinyinCase("emoji", "😀", nil),
]

@Test(arguments: lexiconPinyinCases)
func pinyinReadings(_ c: LexiconPinyinCase) {
    let readings = Lexicon.pinyin(of: c.scalar)
    #expect(readings.first == c.first)
    for reading in c.also {
        #expect(readings.contains(reading))
    }
    #expect(Set(readings).count == readings.count)
    #expect(readings.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (0x61...0x7A).contains($0) } })
}

/// A word-list case: a word and whether the list has it.
struct LexiconWordCase: CustomTestStringConvertible, Sendable {
    let name: String
    let word: String
    let present: Bool
    init(_ name: String, _ word: String, _ present: Bool) {
        self.name = name
        self.word = word
        self.present = present
    }
    var testDescription: String { name }
}

let lexiconEnglishCases: [LexiconWordCase] = [
    LexiconWordCase("bike", "bike", true),
    LexiconWordCase("logo", "logo", true),
    LexiconWordCase("channel", "channel", true),
    LexiconWordCase("carrier", "carrier", true),
    LexiconWordCase("proper-noun-prado", "prado", true),
    LexiconWordCase("plural-shoes", "shoes", true),
    LexiconWordCase("watch", "watch", true),
    LexiconWordCase("headphones", "headphones", true),
    LexiconWordCase("first-entry", "aaa", true),
    LexiconWordCase("last-entry", "zyuganov", true),
    LexiconWordCase("long-word-not-small-string", "counterintelligence", true),
    LexiconWordCase("empty", "", false),
    LexiconWordCase("two-letters", "ab", false),
    LexiconWordCase("misspelt-brand", "nlke", false),
    LexiconWordCase("nonsense", "xqzt", false),
    LexiconWordCase("prefix-of-word", "headphon", false),
    LexiconWordCase("word-with-suffix", "bikez", false),
    LexiconWordCase("upper-case-not-folded", "Bike", false),
    LexiconWordCase("trailing-space", "bike ", false),
    LexiconWordCase("possessive", "bike's", false),
    LexiconWordCase("accented", "café", false),
    LexiconWordCase("han", "快乐", false),
]

@Test(arguments: lexiconEnglishCases)
func englishWords(_ c: LexiconWordCase) {
    #expect(Lexicon.isEnglishWord(c.word) == c.present)
    // The same answer for a Substring inside a longer text.
    let text = "<" + c.word + ">"
    let inner = text.dropFirst().dropLast()
    #expect(Lexicon.isEnglishWord(inner) == c.present)
}

let lexiconChineseCases: [LexiconWordCase] = [
    LexiconWordCase("kuaile", "快乐", true),
    LexiconWordCase("gaoxing", "高兴", true),
    LexiconWordCase("huanle", "欢乐", true),
    LexiconWordCase("gaoshou", "高手", true),
    LexiconWordCase("xingji", "星级", true),
    LexiconWordCase("three-characters", "运动鞋", true),
    LexiconWordCase("four-characters", "一一对应", true),
    LexiconWordCase("nonsense-耐克运", "耐克运", false),
    LexiconWordCase("nonsense-克运", "克运", false),
    LexiconWordCase("single-character", "快", false),
    LexiconWordCase("empty", "", false),
    LexiconWordCase("traditional", "歡樂", false),
    LexiconWordCase("latin", "bike", false),
    LexiconWordCase("word-with-space", "快乐 ", false),
]

@Test(arguments: lexiconChineseCases)
func chineseWords(_ c: LexiconWordCase) {
    let frequency = Lexicon.chineseWordFrequency(c.word)
    #expect((frequency != nil) == c.present)
    if let frequency { #expect(frequency > 0) }
    let text = "「" + c.word + "」"
    #expect(Lexicon.chineseWordFrequency(text.dropFirst().dropLast()) == frequency)
}

@Test func chineseWordFrequenciesAreJiebas() {
    #expect(Lexicon.chineseWordFrequency("快乐") == 2516)
    #expect(Lexicon.chineseWordFrequency("高兴") == 5387)
    // More frequent words have higher counts.
    #expect(Lexicon.chineseWordFrequency("高兴")! > Lexicon.chineseWordFrequency("星级")!)
}

@Test func wordTablesHoldEveryGeneratedLine() {
    let english = Lexicon.WordTable(lines: EnglishWordsData.lines, hasValues: false)
    let chinese = Lexicon.WordTable(lines: ChineseWordsData.lines, hasValues: true)
    #expect(english.count == EnglishWordsData.lines.utf8.split(separator: UInt8(ascii: "\n")).count)
    #expect(chinese.count == ChineseWordsData.lines.utf8.split(separator: UInt8(ascii: "\n")).count)
    #expect(english.count > 60_000)
    #expect((55_000...65_000).contains(chinese.count))
    for line in ChineseWordsData.lines.split(separator: "\n").prefix(2_000) {
        let parts = line.split(separator: " ")
        #expect(Lexicon.chineseWordFrequency(parts[0]) == Int(parts[1]))
    }
}

@Test func wordTableEdgeCases() {
    let table = Lexicon.WordTable(lines: "b 2\n\na 1\nb 3\nlonger 4", hasValues: true)
    #expect(table.count == 4)  // the repeated `b` is stored but not indexed
    #expect(table.index(of: "a".utf8).map { table.values[$0] } == 1)
    #expect(table.index(of: "b".utf8).map { table.values[$0] } == 2)
    #expect(table.index(of: "longer".utf8).map { table.values[$0] } == 4)
    #expect(table.index(of: "c".utf8) == nil)
    #expect(table.index(of: "".utf8) == nil)
    let empty = Lexicon.WordTable(lines: "", hasValues: false)
    #expect(empty.count == 0)
    #expect(empty.index(of: "a".utf8) == nil)
    // A collection without contiguous storage takes the generic path.
    #expect(table.index(of: Array("longer".utf8).lazy.map { $0 }) == table.index(of: "longer".utf8))
}

/// Everyday words against proper names: `wamerican` in lower case, jieba's tags other than proper names.
let lexiconEverydayCases: [LexiconWordCase] = [
    LexiconWordCase("en-apple", "apple", true),
    LexiconWordCase("en-coach", "coach", true),
    LexiconWordCase("en-puma", "puma", true),
    LexiconWordCase("en-canon", "canon", true),
    LexiconWordCase("en-champagne", "champagne", true),
    LexiconWordCase("en-bike", "bike", true),
    LexiconWordCase("en-proper-nike", "nike", false),
    LexiconWordCase("en-proper-chanel", "chanel", false),
    LexiconWordCase("en-proper-gucci", "gucci", false),
    LexiconWordCase("en-proper-tiffany", "tiffany", false),
    LexiconWordCase("en-proper-prado", "prado", false),
    LexiconWordCase("en-not-a-word", "xqzt", false),
    LexiconWordCase("en-upper-case-not-folded", "Apple", false),
    LexiconWordCase("zh-苹果", "苹果", true),
    LexiconWordCase("zh-小米", "小米", true),
    LexiconWordCase("zh-香槟", "香槟", true),
    LexiconWordCase("zh-联想", "联想", true),
    LexiconWordCase("zh-快乐", "快乐", true),
    LexiconWordCase("zh-proper-耐克", "耐克", false),
    LexiconWordCase("zh-proper-华为", "华为", false),
    LexiconWordCase("zh-proper-索尼", "索尼", false),
    LexiconWordCase("zh-proper-迪士尼", "迪士尼", false),
    LexiconWordCase("zh-not-a-word", "耐克运", false),
    LexiconWordCase("zh-traditional-not-folded", "蘋果", false),
]

@Test(arguments: lexiconEverydayCases)
func everydayWords(_ c: LexiconWordCase) {
    let isEveryday = c.name.hasPrefix("en-") ? Lexicon.isEverydayEnglishWord(c.word)
        : Lexicon.isEverydayChineseWord(c.word)
    #expect(isEveryday == c.present)
    // A proper name is still in the word lists themselves.
    if c.name.contains("proper") {
        #expect(c.name.hasPrefix("en-") ? Lexicon.isEnglishWord(c.word) : Lexicon.chineseWordFrequency(c.word) != nil)
    }
}

@Test func properNameTablesHoldEveryGeneratedLine() {
    let english = Lexicon.WordTable(lines: EnglishProperNamesData.lines, hasValues: false)
    let chinese = Lexicon.WordTable(lines: ChineseProperNamesData.lines, hasValues: false)
    #expect(english.count == EnglishProperNamesData.lines.utf8.split(separator: UInt8(ascii: "\n")).count)
    #expect(chinese.count == ChineseProperNamesData.lines.utf8.split(separator: UInt8(ascii: "\n")).count)
    #expect((5_000...15_000).contains(english.count))
    #expect((8_000...20_000).contains(chinese.count))
    // Every proper name is a word of its list, and so never an everyday word.
    for word in EnglishProperNamesData.lines.split(separator: "\n").prefix(2_000) {
        #expect(Lexicon.isEnglishWord(word) && !Lexicon.isEverydayEnglishWord(word))
    }
    for word in ChineseProperNamesData.lines.split(separator: "\n").prefix(2_000) {
        #expect(Lexicon.chineseWordFrequency(word) != nil && !Lexicon.isEverydayChineseWord(word))
    }
}
