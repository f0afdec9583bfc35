import Testing
@testable import MarkgateCore

/// Rules with every signal switched on and round weights, so that each case's score is easy to check.
private let signalRules = Rules(
    review: 0.5, inspect: 0.8,
    weights: [.markExact: 0.6, .markNormalized: 0.6, .markVariant: 0.8, .markHomoglyph: 0.8, .markTraditional: 0.7,
              .markPinyin: 0.7, .markHomophone: 0.7, .markFuzzy: 0.4, .markFuzzySimilarity: 0.2,
              .classCoherent: 0.05, .priceBelowFloor: 0.3, .slang: 0.25, .denylistedConsignor: 0.5,
              .commercialQuantity: 0.1, .severalMarks: 0.15, .riskyOrigin: 0.1],
    slang: ["replica", "1:1", "高仿"],
    denylist: [Rules.ListedParty(name: "Shady Goods Trading", note: "3 seizures in 2025")],
    allowlist: [Rules.DecidedPair(consignor: "Honest Imports Ltd", mark: "MONCLER", note: "ruling R-17")],
    commercialQuantity: 50,
    riskyOrigins: ["XX"],
    rates: ["USD": 1, "CNY": 0.14]
)

private let signalScreener = Screener(register: screeningRegister, niceClasses: screeningClasses, rules: signalRules)

/// One parcel, the reasons it must produce (rules, in order), its score and verdict.
struct SignalCase: CustomTestStringConvertible, Sendable {
    let name: String
    let items: [ParcelItem]
    let consignor: String?
    let rules: [String]
    let score: Double
    let verdict: Verdict
    var testDescription: String { name }

    init(_ name: String, _ items: [ParcelItem], consignor: String? = nil, rules: [String], score: Double,
         _ verdict: Verdict) {
        self.name = name
        self.items = items
        self.consignor = consignor
        self.rules = rules
        self.score = score
        self.verdict = verdict
    }
}

private func item(_ text: String, hs: String? = nil, quantity: Double? = nil, price: Double? = nil,
                  currency: String? = nil, origin: String? = nil, line: Int = 1) -> ParcelItem {
    ParcelItem(line: line, description: text, hsCode: hs, quantity: quantity, unitPrice: price, currency: currency,
               origin: origin)
}

let signalCases: [SignalCase] = [
    SignalCase("mark-exact-alone-no-hs", [item("MONCLER jacket")], rules: ["mark-exact"], score: 0.6, .review),
    SignalCase("class-coherent", [item("MONCLER jacket", hs: "620193")], rules: ["mark-exact", "class-coherent"],
               score: 0.65, .review),
    SignalCase("mark-homoglyph", [item("МОNСLЕR jacket")], rules: ["mark-homoglyph"], score: 0.8, .inspect),
    SignalCase("mark-fuzzy-weight-grows-with-similarity", [item("MONCLEER jacket")], rules: ["mark-fuzzy"],
               score: 0.5714, .review),
    SignalCase("price-below-floor-same-currency", [item("BALENCIAGA bag", price: 50, currency: "USD")],
               rules: ["mark-exact", "price-below-floor"], score: 0.9, .inspect),
    SignalCase("price-below-floor-converted", [item("BALENCIAGA bag", price: 350, currency: "CNY")],
               rules: ["mark-exact", "price-below-floor"], score: 0.9, .inspect),
    SignalCase("price-above-floor-converted", [item("BALENCIAGA bag", price: 3500, currency: "CNY")],
               rules: ["mark-exact"], score: 0.6, .review),
    SignalCase("price-in-currency-without-rate", [item("BALENCIAGA bag", price: 5, currency: "EUR")],
               rules: ["mark-exact"], score: 0.6, .review),
    SignalCase("commercial-quantity", [item("FILA socks", quantity: 200)], rules: ["mark-exact", "commercial-quantity"],
               score: 0.7, .review),
    SignalCase("quantity-below-commercial", [item("FILA socks", quantity: 3)], rules: ["mark-exact"], score: 0.6,
               .review),
    SignalCase("risky-origin", [item("FILA socks", origin: "XX")], rules: ["mark-exact", "risky-origin"], score: 0.7,
               .review),
    SignalCase("several-marks", [item("FILA socks"), item("MONCLER jacket", line: 2)],
               rules: ["mark-exact", "mark-exact", "several-marks"], score: 1, .inspect),
    SignalCase("slang-latin", [item("MONCLER jacket 1:1 replica")], rules: ["mark-exact", "slang"], score: 0.85,
               .inspect),
    SignalCase("slang-chinese", [item("高仿盟可睐羽绒服")], rules: ["mark-exact", "slang"], score: 0.85, .inspect),
    SignalCase("slang-alone-stays-below-review", [item("replica vintage car model")], rules: ["slang"], score: 0.25,
               .clear),
    SignalCase("slang-needs-word-boundaries", [item("replicator kit")], rules: [], score: 0, .clear),
    SignalCase("denylisted-consignor-alone", [item("cotton socks")], consignor: "SHADY GOODS TRADING",
               rules: ["denylisted-consignor"], score: 0.5, .review),
    SignalCase("denylisted-consignor-with-mark", [item("FILA socks")], consignor: "Shady Goods Trading Co.",
               rules: ["mark-exact", "denylisted-consignor"], score: 1, .inspect),
    SignalCase("allowlisted-pair-clears", [item("MONCLER jacket")], consignor: "Honest Imports Ltd", rules: [],
               score: 0, .clear),
    SignalCase("allowlist-is-per-mark", [item("FILA socks")], consignor: "Honest Imports Ltd", rules: ["mark-exact"],
               score: 0.6, .review),
    SignalCase("nothing-fires", [item("stainless steel kitchen knife set", hs: "821191")], rules: [], score: 0,
               .clear),
]

@Test(arguments: signalCases)
func signalsFire(_ testCase: SignalCase) {
    let decision = signalScreener.screen(Parcel(id: "P", consignor: testCase.consignor, items: testCase.items))
    #expect(decision.reasons.map(\.rule) == testCase.rules, "\(decision.reasons)")
    #expect(abs(decision.score - testCase.score) < 1e-9, "\(decision.reasons)")
    #expect(decision.decision == testCase.verdict)
    // The score is the sum of the reasons' weights, capped at 1.
    #expect(abs(decision.score - min(1, decision.reasons.reduce(0) { $0 + $1.weight })) < 1e-4)
}

@Test("An allowlisted pair is reported as a suppressed hit with the reviewer's note")
func allowlistedHitIsSuppressed() {
    let decision = signalScreener.screen(Parcel(id: "P", consignor: "Honest Imports Ltd",
                                                items: [item("MONCLER jacket")]))
    #expect(decision.suppressed.map(\.reason) == ["allowlisted"])
    #expect(decision.suppressed.first?.detail.contains("ruling R-17") == true)
}

@Test("A fuzzy hit's reason shows how its weight is made up")
func fuzzyReasonExplainsWeight() {
    let decision = signalScreener.screen(Parcel(id: "P", items: [item("MONCLEER jacket")]))
    #expect(decision.reasons.first?.detail.hasSuffix("(fuzzy, similarity 0.8571: 0.4 + 0.2 × 0.8571)") == true,
            "\(decision.reasons)")
}

@Test("A signal weighing 0 never fires; thresholds decide the verdict")
func zeroWeightAndThresholds() {
    var rules = signalRules
    rules.weights[.classCoherent] = 0
    rules.review = 0.7
    let decision = Screener(register: screeningRegister, niceClasses: screeningClasses, rules: rules)
        .screen(Parcel(id: "P", items: [item("MONCLER jacket", hs: "620193")]))
    #expect(decision.reasons.map(\.rule) == ["mark-exact"])
    #expect(decision.decision == .clear)
}

@Test("Currency conversion goes through the common unit", arguments: [
    (100.0, "CNY", "USD", 14.0), (14.0, "USD", "CNY", 100.0), (5.0, "USD", "USD", 5.0),
])
func currencyConversion(amount: Double, from: String, to: String, expected: Double) {
    let converted = signalRules.convert(amount, from: from, to: to)
    #expect(converted.map { abs($0 - expected) < 1e-9 } == true)
    #expect(signalRules.convert(1, from: "EUR", to: "USD") == nil)
}

/// The text of every reason a signal adds, exactly: reasons are built by `ReasonText` interpolation, and a
/// misplaced parenthesis there (`(49 USD) USD)`) changed no rule and no score, only the text.
struct ReasonTextCase: CustomTestStringConvertible, Sendable {
    let name: String
    let items: [ParcelItem]
    var consignor: String? = nil
    let details: [String]
    var testDescription: String { name }
}

@Test(arguments: [
    ReasonTextCase(name: "a price converted to the floor's currency", items: [
        item("BALENCIAGA bag", price: 350, currency: "CNY"),
    ], details: [
        "line 1 names BALENCIAGA as \"BALENCIAGA\" (exact)",
        "line 1: unit price 350 CNY (49 USD) < 300 USD for BALENCIAGA",
    ]),
    ReasonTextCase(name: "a price in the floor's currency", items: [
        item("BALENCIAGA bag", price: 50, currency: "USD"),
    ], details: [
        "line 1 names BALENCIAGA as \"BALENCIAGA\" (exact)",
        "line 1: unit price 50 USD < 300 USD for BALENCIAGA",
    ]),
    ReasonTextCase(name: "quantity, origin, class and two marks", items: [
        item("FILA socks", quantity: 200.5, origin: "XX"), item("MONCLER jacket", hs: "620193", line: 2),
    ], details: [
        "line 1 names FILA as \"FILA\" (exact)",
        "line 1 declares 200.5 units of FILA goods (commercial from 50)",
        "line 1: FILA goods from XX, an origin the rules list",
        "line 2 names MONCLER as \"MONCLER\" (exact)",
        "HS 620193 on line 2 is class 25, where MONCLER is protected",
        "the parcel names 2 marks: FILA, MONCLER",
    ]),
    ReasonTextCase(name: "a fuzzy hit, slang and a denylisted consignor", items: [
        item("MONCLEER jacket 1:1 replica"),
    ], consignor: "Shady Goods Trading Co.", details: [
        "line 1 names MONCLER as \"MONCLEER\" (fuzzy, similarity 0.8571: 0.4 + 0.2 × 0.8571)",
        "counterfeit slang \"1:1\" in the description",
        "consignor Shady Goods Trading Co. is on the denylist as \"Shady Goods Trading\" (3 seizures in 2025)",
    ]),
    // Slang is asked of each item in turn (session 9; it was one pass over the items' texts joined): the first
    // item holding any names the term, its leftmost, whatever later items hold.
    ReasonTextCase(name: "slang in the second item only", items: [
        item("MONCLER jacket"), item("gift box replica", line: 2),
    ], details: [
        "line 1 names MONCLER as \"MONCLER\" (exact)",
        "counterfeit slang \"replica\" in the description",
    ]),
    ReasonTextCase(name: "slang in two items: the first item's", items: [
        item("MONCLER jacket replica"), item("高仿 1:1 box", line: 2),
    ], details: [
        "line 1 names MONCLER as \"MONCLER\" (exact)",
        "counterfeit slang \"replica\" in the description",
    ]),
    ReasonTextCase(name: "slang in one item, leftmost first", items: [
        item("MONCLER jacket"), item("box 1:1 replica 高仿", line: 2),
    ], details: [
        "line 1 names MONCLER as \"MONCLER\" (exact)",
        "counterfeit slang \"1:1\" in the description",
    ]),
])
func reasonTextsAreExact(_ testCase: ReasonTextCase) {
    let decision = signalScreener.screen(Parcel(id: "P", consignor: testCase.consignor, items: testCase.items))
    #expect(decision.reasons.map(\.detail) == testCase.details)
}
