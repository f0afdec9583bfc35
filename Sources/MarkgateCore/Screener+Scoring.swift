extension Screener {
    /// A hit that counts, with the mark it names and the index of the item it was found in (in the parcel's items:
    /// an item copied into every hit would retain and release each of its strings).
    typealias CountedHit = (hit: Hit, mark: Int, item: Int)

    /// The decision from the hits that count: every signal of `rules` that fires becomes a reason.
    ///
    /// Per mark named, in order of first appearance: its strongest hit (`mark-<method>`), then, on the items
    /// that name it, `class-coherent`, `price-below-floor`, `commercial-quantity` and `risky-origin` (each
    /// once, from the first item where it holds). Per parcel: `several-marks`, `slang` (the first term in the
    /// text), `denylisted-consignor`. The score is the sum of the reasons' weights, capped at 1.
    func decide(parcel: Parcel, counted: [CountedHit], suppressed: [SuppressedHit], slang: Int?,
                consignor: String) -> Decision {
        var reasons: [Reason] = []
        let items = parcel.items
        func fire(_ signal: Signal, weight: Double? = nil, _ detail: @autoclosure () -> ReasonText) {
            let weight = Self.round(weight ?? rules.weight(signal))
            guard weight > 0 else { return }
            reasons.append(Reason(rule: signal.rawValue, weight: weight, detail: detail().text))
        }

        var marksSeen: [Int] = []
        for entry in counted where !marksSeen.contains(entry.mark) { marksSeen.append(entry.mark) }
        for markIndex in marksSeen {
            let mark = register.marks[markIndex]
            let hits = counted.filter { $0.mark == markIndex }
            let strongest = hits.max { weight(of: $0.hit) < weight(of: $1.hit) }!
            fire(.mark(strongest.hit.method), weight: weight(of: strongest.hit),
                 "line \(items[strongest.item].line) names \(mark.id) as \"\(strongest.hit.matched)\" "
                    + "(\(strongest.hit.method.rawValue)\(similarityNote(strongest.hit)))")
            if !mark.classes.isEmpty, let coherent = hits.firstMapped({ entry -> (ParcelItem, [Int])? in
                guard let classes = items[entry.item].hsCode.flatMap(self.niceClasses.classes(forHS:)),
                      classes.contains(where: mark.classes.contains) else { return nil }
                return (items[entry.item], classes)
            }) {
                fire(.classCoherent, "HS \(coherent.0.hsCode ?? "") on line \(coherent.0.line) is class "
                        + "\(classes: coherent.1.filter(mark.classes.contains)), where \(mark.id) is protected")
            }
            if let (entry, detail) = hits.firstMapped({ entry in
                self.priceBelowFloor(items[entry.item], of: mark).map { (entry, $0) }
            }) {
                fire(.priceBelowFloor, "line \(items[entry.item].line): \(detail)")
            }
            if let threshold = rules.commercialQuantity,
               let item = hits.lazy.map({ items[$0.item] }).first(where: { ($0.quantity ?? 0) >= threshold }) {
                fire(.commercialQuantity, "line \(item.line) declares \(number: item.quantity ?? 0) "
                        + "units of \(mark.id) goods (commercial from \(number: threshold))")
            }
            if !riskyOrigins.isEmpty,
               let item = hits.lazy.map({ items[$0.item] })
                   .first(where: { $0.origin.map { riskyOrigins.contains($0) } ?? false }) {
                fire(.riskyOrigin, "line \(item.line): \(mark.id) goods from \(item.origin ?? ""), an origin "
                        + "the rules list")
            }
        }
        if marksSeen.count >= 2 {
            fire(.severalMarks, "the parcel names \(marksSeen.count) marks: "
                    + "\(marksSeen.map { register.marks[$0].id }.joined(separator: ", "))")
        }
        if let slang {
            fire(.slang, "counterfeit slang \"\(slangTerms[slang])\" in the description")
        }
        if !consignor.isEmpty, let listed = denylistKeys.first(where: { Self.sameParty(consignor, $0.key) }) {
            let note = listed.party.note.map { " (\($0))" } ?? ""
            fire(.denylistedConsignor, "consignor \(parcel.consignor ?? "") is on the denylist as "
                    + "\"\(listed.party.name)\"\(note)")
        }
        let score = Self.round(min(1, reasons.reduce(0) { $0 + $1.weight }))
        return Decision(parcel: parcel.id, decision: rules.verdict(for: score), score: score,
                        hits: counted.map(\.hit), suppressed: suppressed, reasons: reasons)
    }

    /// The weight of one hit under the rules: its method's mark signal, plus similarity for a fuzzy hit.
    func weight(of hit: Hit) -> Double {
        let base = rules.weight(.mark(hit.method))
        return hit.method == .fuzzy ? base + rules.weight(.markFuzzySimilarity) * hit.similarity : base
    }

    /// How a fuzzy hit's weight is made up (`, similarity 0.875: 0.4 + 0.3 × 0.875`); empty for others.
    private func similarityNote(_ hit: Hit) -> ReasonText {
        guard hit.method == .fuzzy else { return "" }
        return ", similarity \(number: hit.similarity): \(number: rules.weight(.markFuzzy)) + "
            + "\(number: rules.weight(.markFuzzySimilarity)) × \(number: hit.similarity)"
    }

    /// Why an item's unit price is below the mark's floor, or nil when it is not (or cannot be compared).
    ///
    /// A floor in the item's own currency is compared directly; otherwise the price is converted into the
    /// first floor's currency through the rules' rates.
    func priceBelowFloor(_ item: ParcelItem, of mark: Mark) -> ReasonText? {
        guard let price = item.unitPrice, let currency = item.currency, !mark.minUnitPrice.isEmpty else { return nil }
        if let floor = mark.minUnitPrice.first(where: { $0.currency == currency }) {
            guard price < floor.amount else { return nil }
            return "unit price \(number: price) \(currency) < \(number: floor.amount) \(currency) "
                + "for \(mark.id)"
        }
        for floor in mark.minUnitPrice {
            guard let converted = rules.convert(price, from: currency, to: floor.currency) else { continue }
            guard converted < floor.amount else { return nil }
            return "unit price \(number: price) \(currency) (\(number: Self.round(converted)) "
                + "\(floor.currency)) < \(number: floor.amount) \(floor.currency) for \(mark.id)"
        }
        return nil
    }
}
