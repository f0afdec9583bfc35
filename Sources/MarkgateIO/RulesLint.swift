import MarkgateCore

extension Diagnostic.Kind {
    /// An allowlist pair naming a mark id the register lacks.
    public static let unknownMark = Diagnostic.Kind(rawValue: "unknown-mark")
    /// A denylisted consignor who is also a licensee of a mark of the register.
    public static let deniedLicensee = Diagnostic.Kind(rawValue: "denied-licensee")
    /// A slang term listed twice (after normalization).
    public static let duplicateSlang = Diagnostic.Kind(rawValue: "duplicate-slang")
    /// A slang term that is also a name or variant of a mark of the register.
    public static let slangIsName = Diagnostic.Kind(rawValue: "slang-is-name")
    /// A signal without a weight, or weighing 0: it never fires.
    public static let neverFires = Diagnostic.Kind(rawValue: "never-fires")
    /// A mark signal weighing less than `review` on its own: a plain hit would not flag.
    public static let weakMarkSignal = Diagnostic.Kind(rawValue: "weak-mark-signal")
    /// `review` equal to `inspect`: no parcel is ever sent to review.
    public static let equalThresholds = Diagnostic.Kind(rawValue: "equal-thresholds")
    /// A mark's price floors all in currencies `rates` lacks: prices in other currencies are not compared.
    public static let missingRate = Diagnostic.Kind(rawValue: "missing-rate")
}

/// Judgement calls in rules that load: what is legal but probably not meant (`markgate rules lint`).
///
/// Every finding is a warning, pointing where the file wrote the value when `locations` knows it (otherwise at
/// the start of the file), in reading order.
public enum RulesLint {
    /// The warnings for `rules` read against `register`.
    ///
    /// - an allowlist pair naming a mark id the register lacks (it clears nothing);
    /// - a denylisted consignor who is also a licensee of a mark (the register clears what the denylist flags);
    /// - a slang term listed twice after normalization, normalizing to nothing, or equal to a register name or
    ///   variant;
    /// - a signal without a weight or weighing 0 (it never fires);
    /// - a mark signal weighing less than `review` on its own (a parcel naming a mark that way, and nothing
    ///   else, stays clear; for `mark-fuzzy`, even at similarity 1);
    /// - `review` equal to `inspect` (no parcel is ever sent to review);
    /// - a mark whose price floors are all in currencies `rates` lacks (prices in other currencies are not
    ///   compared with them).
    public static func warnings(rules: Rules, register: Register,
                                locations: RulesLocations = RulesLocations(file: "(built-in rules)")) -> [Diagnostic] {
        var lint = Linter(rules: rules, register: register, locations: locations)
        lint.thresholds()
        lint.weights()
        lint.slang()
        lint.denylist()
        lint.allowlist()
        lint.rates()
        return YAMLText.inReadingOrder(lint.warnings)
    }

    struct Linter {
        let rules: Rules
        let register: Register
        let locations: RulesLocations
        let normalizer = Normalizer()
        var warnings: [Diagnostic] = []

        init(rules: Rules, register: Register, locations: RulesLocations) {
            self.rules = rules
            self.register = register
            self.locations = locations
        }

        mutating func warn(_ kind: Diagnostic.Kind, at location: SourceLocation?, _ message: String) {
            warnings.append(.warning(kind, at: location ?? locations.start, message))
        }

        mutating func thresholds() {
            guard rules.review == rules.inspect else { return }
            warn(.equalThresholds, at: locations.inspect ?? locations.review,
                 "review and inspect are both \(DecimalText.text(rules.review)): no parcel is ever sent to review, "
                    + "every flagged parcel is inspected")
        }

        mutating func weights() {
            for signal in Signal.allCases {
                guard rules.weight(signal) == 0 else { continue }
                let has = rules.weights[signal] == nil ? "has no weight" : "weighs 0"
                let written = locations.weightOf[signal] ?? locations.weights
                switch signal {
                case .markFuzzySimilarity:
                    warn(.neverFires, at: written, "\(signal.rawValue) \(has): a fuzzy hit weighs "
                            + "\(Signal.markFuzzy.rawValue) alone, whatever its similarity")
                case .markFuzzy where rules.weight(.markFuzzySimilarity) > 0:
                    break  // a fuzzy hit still weighs mark-fuzzy-similarity × similarity
                case _ where Self.isMarkSignal(signal):
                    warn(.neverFires, at: written, "\(signal.rawValue) \(has), so it never fires: marks found this "
                            + "way are listed as hits but weigh nothing")
                default:
                    warn(.neverFires, at: written, "\(signal.rawValue) \(has), so it never fires")
                }
            }
            for signal in Signal.allCases where Self.isMarkSignal(signal) {
                let weight = rules.weight(signal)
                let similarity = rules.weight(.markFuzzySimilarity)
                let best = signal == .markFuzzy ? weight + similarity : weight
                guard best > 0, best < rules.review else { continue }
                let method = String(signal.rawValue.dropFirst("mark-".count))
                let article = method.hasPrefix("e") ? "an" : "a"
                let makeUp = signal == .markFuzzy
                    ? "at most \(DecimalText.text(best)) (\(DecimalText.text(weight)) + "
                        + "\(DecimalText.text(similarity)) × similarity, which is below 1)"
                    : DecimalText.text(best)
                warn(.weakMarkSignal, at: locations.weightOf[signal] ?? locations.weights,
                     "\(article) \(method) hit weighs \(makeUp) on its own, below review "
                        + "\(DecimalText.text(rules.review)): a parcel whose only evidence is a mark named that way "
                        + "stays clear")
            }
        }

        /// A signal that weighs a mark found one way (`mark-exact` …), not `mark-fuzzy-similarity`'s addition.
        static func isMarkSignal(_ signal: Signal) -> Bool {
            signal.rawValue.hasPrefix("mark-") && signal != .markFuzzySimilarity
        }

        mutating func slang() {
            var names: [String: String] = [:]   // normalized name or variant → "a name of NIKE"
            for mark in register.marks {
                for name in mark.names where names[normalizer.key(name)] == nil {
                    names[normalizer.key(name)] = "a name of \(mark.id) (\"\(name)\")"
                }
                for variant in mark.variants where names[normalizer.key(variant)] == nil {
                    names[normalizer.key(variant)] = "a variant of \(mark.id) (\"\(variant)\")"
                }
            }
            var first: [String: Int] = [:]
            for (index, term) in rules.slang.enumerated() {
                let key = normalizer.key(term)
                let location = locations.at(locations.slang, index)
                guard !key.isEmpty else {
                    warn(.emptyTerm, at: location, "slang term \"\(term)\" normalizes to nothing, so it never matches")
                    continue
                }
                if let earlier = first[key] {
                    let again = rules.slang[earlier] == term ? "" : " (\"\(key)\" after normalization)"
                    warn(.duplicateSlang, at: location, "slang term \"\(term)\" is listed twice\(again); first at "
                            + "\(locations.at(locations.slang, earlier))")
                    continue
                }
                first[key] = index
                if let name = names[key] {
                    warn(.slangIsName, at: location, "slang term \"\(term)\" is also \(name) in the register: it "
                            + "would count both as the mark and as slang")
                }
            }
        }

        mutating func denylist() {
            for (index, party) in rules.denylist.enumerated() {
                let key = normalizer.key(party.name)
                guard !key.isEmpty else { continue }
                for mark in register.marks {
                    guard let licensee = mark.licensees.first(where: { licensee in
                        let other = normalizer.key(licensee)
                        return !other.isEmpty && Screener.sameParty(key, other)
                    }) else { continue }
                    warn(.deniedLicensee, at: locations.at(locations.denylist, index),
                         "denylisted consignor \"\(party.name)\" is also a licensee of \(mark.id) (\"\(licensee)\"): "
                            + "the register clears its \(mark.id) hits while the denylist flags its parcels")
                }
            }
        }

        mutating func allowlist() {
            let ids = register.marks.map(\.id)
            for (index, pair) in rules.allowlist.enumerated() where register.mark(id: pair.mark) == nil {
                var message = "the allowlist names mark \"\(pair.mark)\", which the register lacks, so the pair "
                    + "clears nothing"
                if let suggestion = RegisterLoader.Validator.closest(to: pair.mark, among: ids) {
                    message += " (did you mean \"\(suggestion)\"?)"
                }
                warn(.unknownMark, at: locations.at(locations.allowlist, index), message)
            }
        }

        /// A mark whose floors are all in currencies without a rate: a price in any other currency is never
        /// compared (one floor with a rate is enough, prices are converted into its currency).
        mutating func rates() {
            var marksByCurrencies: [String: [String]] = [:]
            for mark in register.marks where !mark.minUnitPrice.isEmpty
                && !mark.minUnitPrice.contains(where: { rules.rates[$0.currency] != nil }) {
                marksByCurrencies[mark.minUnitPrice.map(\.currency).joined(separator: ", "), default: []]
                    .append(mark.id)
            }
            for (currencies, marks) in marksByCurrencies.sorted(by: { $0.key < $1.key }) {
                let listed = marks.prefix(5).joined(separator: ", ") + (marks.count > 5 ? ", …" : "")
                warn(.missingRate, at: locations.rates, "price floors in \(currencies) (\(listed)) have no rate: "
                        + "prices declared in another currency are not compared with them")
            }
        }
    }
}
