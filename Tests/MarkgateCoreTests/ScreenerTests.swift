import Testing
@testable import MarkgateCore

/// Marks that are not in the development set, so these tests say nothing about its rows.
let screeningRegister = Register(marks: [
    Mark(id: "BALENCIAGA", names: ["BALENCIAGA", "巴黎世家"], classes: [18, 25],
         minUnitPrice: [PriceFloor(currency: "USD", amount: 300)]),
    Mark(id: "MONCLER", names: ["MONCLER", "盟可睐"], classes: [25]),
    Mark(id: "BVLGARI", names: ["BVLGARI", "宝格丽"], classes: [14]),
    Mark(id: "FILA", names: ["FILA", "斐乐"], classes: [25]),
    Mark(id: "LACOSTE", names: ["LACOSTE"], classes: [25], licensees: ["Lacoste Trading (Shanghai) Co., Ltd."]),
    Mark(id: "WULIANGYE", names: ["五粮液"], kind: .wellKnown, classes: [33]),
    Mark(id: "CROWN", names: ["CROWN", "皇冠"], classes: [12], genericNames: ["CROWN", "皇冠"],
         context: ["toyota", "丰田"]),
    Mark(id: "GARMEN", names: ["GARMEN"], classes: [25]),
    Mark(id: "MONTANO", names: ["MONTANO"], classes: [25]),
    Mark(id: "HUALUN", names: ["华伦"], classes: [16]),
])

/// The HS headings these tests use, as the shipped table maps them.
let screeningClasses = NiceClassTable(prefixes: [
    "61": [25], "62": [25], "64": [25], "4202": [18], "7113": [14], "9613": [34], "2208": [33],
    "8708": [12], "4411": [19], "1905": [30], "4901": [16], "8211": [8],
])

/// A listing, what must be found in it (mark and method), or why it must stay clear.
struct ScreeningCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let hs: String?
    let consignor: String?
    let mark: String?              // expected flagged mark (nil: must be clear)
    let method: MatchMethod?
    let suppressedReason: String?  // for quiet cases: the reason the hit was ruled out, if any

    init(_ name: String, _ text: String, hs: String? = nil, consignor: String? = nil, flags mark: String? = nil,
         by method: MatchMethod? = nil, quietBecause reason: String? = nil) {
        self.name = name
        self.text = text
        self.hs = hs
        self.consignor = consignor
        self.mark = mark
        self.method = method
        self.suppressedReason = reason
    }

    var testDescription: String { name }
}

let knockOffCases: [ScreeningCase] = [
    ScreeningCase("exact", "BALENCIAGA triple s sneakers", hs: "640411", flags: "BALENCIAGA", by: .exact),
    ScreeningCase("fullwidth", "ＭＯＮＣＬＥＲ down jacket", hs: "620193", flags: "MONCLER", by: .normalized),
    ScreeningCase("homoglyph", "МОNСLЕR down jacket", hs: "620193", flags: "MONCLER", by: .homoglyph),
    ScreeningCase("zero-width", "MONC\u{200B}LER jacket", hs: "620193", flags: "MONCLER", by: .normalized),
    ScreeningCase("spaced", "new M-O-N-C-L-E-R vest", hs: "620193", flags: "MONCLER", by: .normalized),
    ScreeningCase("spaced-dots", "F.I.L.A polo shirt", hs: "610510", flags: "FILA", by: .normalized),
    ScreeningCase("leet", "m0ncl3r puffer", hs: "620193", flags: "MONCLER", by: .fuzzy),
    ScreeningCase("leet-dollar", "BVLG4R1 $erpenti ring", hs: "711311", flags: "BVLGARI", by: .fuzzy),
    ScreeningCase("typo-duplication", "MONCLEER jacket", hs: "620193", flags: "MONCLER", by: .fuzzy),
    ScreeningCase("typo-transposition", "MNOCLER jacket", hs: "620193", flags: "MONCLER", by: .fuzzy),
    ScreeningCase("typo-two-edits", "balencaigo bag", hs: "420221", flags: "BALENCIAGA", by: .fuzzy),
    ScreeningCase("glued-word", "monclerjacket warm", hs: "620193", flags: "MONCLER", by: .normalized),
    ScreeningCase("glued-across-tokens", "balen ciagasneakers", hs: "640411", flags: "BALENCIAGA"),
    ScreeningCase("zh-exact", "巴黎世家老爹鞋", hs: "640419", flags: "BALENCIAGA", by: .exact),
    ScreeningCase("zh-traditional", "寶格麗戒指", hs: "711311", flags: "BVLGARI", by: .traditional),
    ScreeningCase("zh-homophone", "新款盟可莱羽绒服", hs: "620193", flags: "MONCLER", by: .homophone),
    ScreeningCase("zh-spaced", "宝·格·丽 项链", hs: "711311", flags: "BVLGARI", by: .normalized),
    ScreeningCase("pinyin", "new baogeli ring", hs: "711311", flags: "BVLGARI", by: .pinyin),
    ScreeningCase("well-known-cross-class", "五粮液纪念打火机", hs: "961310", flags: "WULIANGYE", by: .exact),
    ScreeningCase("generic-confirmed", "CROWN toyota floor mats", hs: "870899", flags: "CROWN", by: .exact),
    ScreeningCase("no-hs-counts-as-inside", "MONCLER jacket", flags: "MONCLER", by: .exact),
]

let quietCases: [ScreeningCase] = [
    ScreeningCase("plain-goods", "stainless steel kitchen knife set", hs: "821191"),
    ScreeningCase("dictionary-word-one-edit", "garment bag for suits", hs: "420292"),
    ScreeningCase("proper-noun-one-edit", "montana state souvenir shirt", hs: "610910"),
    ScreeningCase("short-name-exact-only", "film camera strap", hs: "420291"),
    ScreeningCase("class-mismatch", "MONCLER style tote bag", hs: "420222", quietBecause: "class-mismatch"),
    ScreeningCase("generic-without-context", "CROWN hubcaps set of 4", hs: "870899", quietBecause: "generic-name"),
    ScreeningCase("generic-outside-classes", "crown molding 2m", hs: "441190", quietBecause: "class-mismatch"),
    ScreeningCase("generic-zh-without-context", "皇冠蛋糕 生日", hs: "190590", quietBecause: "class-mismatch"),
    ScreeningCase("segmentation", "中华伦理学教材", hs: "490199", quietBecause: "segmentation"),
    ScreeningCase("licensee", "LACOSTE polo shirt", hs: "610510", consignor: "Lacoste Trading (Shanghai) Co., Ltd.",
                  quietBecause: "licensee"),
    ScreeningCase("homophone-that-is-a-word", "斐然成绩 笔记本", hs: "490199"),
]

let screener = Screener(register: screeningRegister, niceClasses: screeningClasses)

func screen(_ testCase: ScreeningCase) -> Decision {
    screener.screen(Parcel(id: testCase.name, consignor: testCase.consignor,
                           items: [ParcelItem(line: 1, description: testCase.text, hsCode: testCase.hs,
                                              unitPrice: 500, currency: "USD")]))
}

@Test(arguments: knockOffCases)
func knockOffIsFlagged(_ testCase: ScreeningCase) {
    let decision = screen(testCase)
    #expect(decision.decision != .clear, "\(decision)")
    let hit = decision.hits.first { $0.mark == testCase.mark }
    #expect(hit != nil, "no hit on \(testCase.mark ?? ""): \(decision.hits) \(decision.suppressed)")
    if let method = testCase.method { #expect(hit?.method == method) }
    if let hit {
        let scalars = Array(testCase.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[hit.start..<hit.end])) == hit.matched)
    }
}

@Test(arguments: quietCases)
func lookAlikeStaysQuiet(_ testCase: ScreeningCase) {
    let decision = screen(testCase)
    #expect(decision.decision == .clear, "\(decision.hits)")
    if let reason = testCase.suppressedReason {
        #expect(decision.suppressed.map(\.reason).contains(reason), "\(decision.suppressed)")
    }
}

@Test("A price below the floor adds its reason and weight")
func priceBelowFloor() {
    let decision = screener.screen(Parcel(id: "P", items: [
        ParcelItem(line: 1, description: "BALENCIAGA bag", hsCode: "420221", unitPrice: 50, currency: "USD"),
    ]))
    #expect(decision.reasons.map(\.rule) == ["mark-exact", "class-coherent", "price-below-floor"])
    let rules = Rules.builtIn
    let expected = rules.weight(.markExact) + rules.weight(.classCoherent) + rules.weight(.priceBelowFloor)
    #expect(abs(decision.score - expected) < 1e-9)
    #expect(decision.decision == .inspect)
}

@Test("A generic name counts beside another name of the same mark in the parcel")
func genericBesideOtherName() {
    let register = Register(marks: [Mark(id: "PEAR", names: ["PEARPHONE", "PEAR"], genericNames: ["PEAR"])])
    let decision = Screener(register: register).screen(Parcel(id: "P", items: [
        ParcelItem(line: 1, description: "pear charger"), ParcelItem(line: 2, description: "PEARPHONE case"),
    ]))
    #expect(decision.hits.map(\.name).sorted() == ["PEAR", "PEARPHONE"])
}

@Test("Regression: a tie between two names of one mark reports the first in register order, in every process")
func tieBetweenNamesOfOneMark() {
    // `guci` is one edit from GUCCI and from the pinyin of 古驰 (`guchi`). Which one was reported used to follow
    // Dictionary order, which changes from process to process, so the CSV and XML of the same parcels could
    // screen to different files.
    let register = Register(marks: [Mark(id: "GUCCI", names: ["GUCCI", "古驰"], classes: [18])])
    let decision = Screener(register: register).screen(Parcel(id: "P", items: [
        ParcelItem(line: 1, description: "new guci belt bag"),
    ]))
    #expect(decision.hits.map(\.name) == ["GUCCI"])
    #expect(decision.hits.map(\.method) == [.fuzzy])
}

@Test("Regression: a name glued to a word does not share the span of a whole name of another mark",
      arguments: [nil, "Tikotiro Trading Ltd"] as [String?])
func gluedNameYieldsToWholeName(consignor: String?) {
    // `tikotiro` is the whole name TIKOTIRO, and also TIKO glued to the word `tiro`. Both used to count on the
    // same span: two marks (several-marks) for one word, and TIKO still flagged the parcel when TIKOTIRO's
    // licensee shipped it.
    let register = Register(marks: [
        Mark(id: "TIKOTIRO", names: ["TIKOTIRO"], classes: [25], licensees: ["Tikotiro Trading Ltd"]),
        Mark(id: "TIKO", names: ["TIKO"], classes: [25]),
    ])
    let decision = Screener(register: register).screen(Parcel(id: "P", consignor: consignor, items: [
        ParcelItem(line: 1, description: "tikotiro socks"),
    ]))
    #expect(!decision.hits.contains { $0.mark == "TIKO" }, "\(decision.hits)")
    #expect(decision.decision == (consignor == nil ? .review : .clear))
    // The glued reading still counts where no whole name claims the span.
    let glued = Screener(register: register).screen(Parcel(id: "Q", items: [
        ParcelItem(line: 1, description: "tikosocks"),
    ]))
    #expect(glued.hits.map(\.mark) == ["TIKO"])
}
