/// The analysts' judgement (`Rules/rules.yaml`): what each signal weighs, where `review` and `inspect`
/// start, the slang lexicon, who is denied or already cleared, and the figures some signals compare.
///
/// A parcel's score is the sum of the weights of the signals that fire, capped at 1 and rounded to four
/// decimals; every signal that fires is a `Reason`, so the score is explained to the last decimal. Loaded
/// and validated by `RulesLoader` (MarkgateIO); `builtIn` holds the same values as the shipped file.
public struct Rules: Sendable, Hashable {
    /// Scores from `review` on are `review`, from `inspect` on `inspect` (0 < review ≤ inspect ≤ 1).
    public var review: Double
    public var inspect: Double
    /// Weight of each signal, 0 to 1; a signal without a weight (or weighing 0) never fires.
    public var weights: [Signal: Double]
    /// Counterfeit slang (`replica`, `AAA`, `1:1`, `高仿`, `A货`): matched like names, on normalized text, on
    /// word boundaries for Latin terms and anywhere for Chinese ones.
    public var slang: [String]
    /// Consignors that are repeat infringers (or on 失信 lists).
    public var denylist: [ListedParty]
    /// Pairs a reviewer has already ruled out: hits of `mark` in parcels from `consignor` do not count.
    public var allowlist: [DecidedPair]
    /// A declared quantity of at least this many units, on an item naming a mark, is commercial.
    public var commercialQuantity: Double?
    /// ISO 3166 alpha-2 origins that add weight to an item naming a mark.
    public var riskyOrigins: [String]
    /// Value of one unit of each currency in a common unit (e.g. USD per unit), for price floors given in
    /// another currency than the declared price.
    public var rates: [String: Double]

    /// A consignor on the denylist, with why it is there.
    public struct ListedParty: Sendable, Hashable {
        public var name: String
        public var note: String?
        public init(name: String, note: String? = nil) {
            self.name = name
            self.note = note
        }
    }

    /// A consignor × mark pair a reviewer has ruled a false alarm.
    public struct DecidedPair: Sendable, Hashable {
        public var consignor: String
        public var mark: String
        public var note: String?
        public init(consignor: String, mark: String, note: String? = nil) {
            self.consignor = consignor
            self.mark = mark
            self.note = note
        }
    }

    public init(review: Double, inspect: Double, weights: [Signal: Double], slang: [String] = [],
                denylist: [ListedParty] = [], allowlist: [DecidedPair] = [], commercialQuantity: Double? = nil,
                riskyOrigins: [String] = [], rates: [String: Double] = [:]) {
        self.review = review
        self.inspect = inspect
        self.weights = weights
        self.slang = slang
        self.denylist = denylist
        self.allowlist = allowlist
        self.commercialQuantity = commercialQuantity
        self.riskyOrigins = riskyOrigins
        self.rates = rates
    }

    /// The weight of a signal (0 when the rules give none).
    public func weight(_ signal: Signal) -> Double {
        weights[signal] ?? 0
    }

    /// The verdict for a score.
    public func verdict(for score: Double) -> Verdict {
        score >= inspect ? .inspect : score >= review ? .review : .clear
    }

    /// `amount` of `currency` in `target`, through `rates`; nil when either rate is missing.
    public func convert(_ amount: Double, from currency: String, to target: String) -> Double? {
        if currency == target { return amount }
        guard let from = rates[currency], let to = rates[target], from > 0, to > 0 else { return nil }
        return amount * from / to
    }

    /// A stable text of every value, for the content hash of rules that come from no file (`builtIn`).
    public var canonicalText: String {
        var parts = ["rules-v1", "review=\(review)", "inspect=\(inspect)"]
        parts += Signal.allCases.map { "\($0.rawValue)=\(weight($0))" }
        parts.append("slang=" + slang.joined(separator: "|"))
        parts.append("denylist=" + denylist.map { "\($0.name)#\($0.note ?? "")" }.joined(separator: "|"))
        parts.append("allowlist=" + allowlist.map { "\($0.consignor)#\($0.mark)#\($0.note ?? "")" }
            .joined(separator: "|"))
        parts.append("commercial-quantity=\(commercialQuantity.map { "\($0)" } ?? "")")
        parts.append("risky-origins=" + riskyOrigins.joined(separator: "|"))
        parts.append("rates=" + rates.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: "|"))
        return parts.joined(separator: "\n")
    }

    /// The defaults, equal to the shipped `Rules/rules.yaml` (a test holds the two together): any hit that
    /// counts is at least `review`; a disguise, or a hit with a second signal, is `inspect`. Signals without
    /// a mark stay below `review` on their own, except a denylisted consignor.
    public static let builtIn = Rules(
        review: 0.5,
        inspect: 0.8,
        weights: [
            .markExact: 0.6, .markNormalized: 0.6, .markVariant: 0.8, .markHomoglyph: 0.8, .markTraditional: 0.7,
            .markPinyin: 0.7, .markHomophone: 0.7, .markFuzzy: 0.4, .markFuzzySimilarity: 0.3,
            .classCoherent: 0.05, .priceBelowFloor: 0.3, .slang: 0.3, .denylistedConsignor: 0.5,
            .commercialQuantity: 0.1, .severalMarks: 0.1, .riskyOrigin: 0.1,
        ],
        slang: ["replica", "replicas", "aaa", "1:1", "mirror quality", "super fake", "superfake", "knockoff",
                "高仿", "A货", "原单", "精仿", "复刻", "超A", "1比1"],
        commercialQuantity: 20,
        rates: ["USD": 1, "CNY": 0.14, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067, "HKD": 0.128, "KRW": 0.00073]
    )
}
