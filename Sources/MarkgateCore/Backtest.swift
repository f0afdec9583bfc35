/// Scores decisions against labelled parcels, as `shared/devset/score.py` does, and tells what each signal
/// contributes.
///
/// A parcel labelled `flag` is caught when its decision is `review` or `inspect` and a hit names the
/// labelled mark; a parcel labelled `clear` is a false alarm when its decision is `review` or `inspect`.
/// Parcels labelled `skip`, and decisions of unlabelled parcels, are left out. A labelled parcel without a
/// decision counts as not flagged.
public struct Backtest: Sendable {
    /// What a parcel is labelled.
    public struct Label: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case flag, clear, skip }
        public var kind: Kind
        /// The mark a `flag` parcel must be named with.
        public var mark: String?
        /// The knock-off or quiet family the parcel belongs to (free text).
        public var family: String?

        public init(kind: Kind, mark: String? = nil, family: String? = nil) {
            self.kind = kind
            self.mark = mark
            self.family = family
        }
    }

    /// What one signal did across the labelled parcels.
    public struct SignalContribution: Sendable, Hashable {
        public var signal: String
        /// Parcels where it fired, by outcome.
        public var caught = 0, missed = 0, falseAlarms = 0, quiet = 0
        /// Catches that would be lost without it (score less its weight below `review`).
        public var decisiveCatches = 0
        /// False alarms that would not be raised without it.
        public var decisiveFalseAlarms = 0
        /// The sum of its weights over the parcels where it fired.
        public var totalWeight = 0.0
    }

    /// The confusion of labels with decisions: `counts[label][decision]`, decisions `clear`, `review`,
    /// `inspect` and `missing`; a `flag` parcel flagged without the labelled mark counts as `wrongMark` too.
    public var counts: [Label.Kind: [String: Int]] = [:]
    public var truePositives = 0, falseNegatives = 0, falsePositives = 0, trueNegatives = 0
    /// Flagged `flag` parcels whose hits do not name the labelled mark (counted as false negatives).
    public var wrongMark = 0
    /// Labelled parcels with no decision.
    public var missing = 0
    /// Correct outcomes and totals by family.
    public var families: [String: (right: Int, total: Int)] = [:]
    public var signals: [String: SignalContribution] = [:]

    public var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    public var falseAlarmRate: Double { Double(falsePositives) / Double(max(1, falsePositives + trueNegatives)) }
    public var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }

    /// Scores `decisions` (one per parcel id; a later one replaces an earlier) against `labels`; `review` is
    /// the threshold in force, used to tell which signals were decisive.
    public init(decisions: [Decision], labels: [String: Label], review: Double) {
        var byParcel: [String: Decision] = [:]
        for decision in decisions { byParcel[decision.parcel] = decision }
        for (parcel, label) in labels.sorted(by: { $0.key < $1.key }) where label.kind != .skip {
            let decision = byParcel[parcel]
            let verdict = decision?.decision.rawValue ?? "missing"
            counts[label.kind, default: [:]][verdict, default: 0] += 1
            if decision == nil { missing += 1 }
            let flagged = decision.map { $0.decision != .clear } ?? false
            let right: Bool
            if label.kind == .flag {
                right = flagged && (decision?.hits.contains { $0.mark == label.mark } ?? false)
                if flagged && !right { wrongMark += 1 }
                if right { truePositives += 1 } else { falseNegatives += 1 }
            } else {
                right = !flagged
                if flagged { falsePositives += 1 } else { trueNegatives += 1 }
            }
            let family = label.family ?? label.kind.rawValue
            families[family, default: (0, 0)].total += 1
            if right { families[family, default: (0, 0)].right += 1 }
            guard let decision else { continue }
            // Decisive: without this reason's weight the (uncapped) sum would fall below `review`.
            let total = decision.reasons.reduce(0) { $0 + $1.weight }
            for reason in decision.reasons {
                var contribution = signals[reason.rule] ?? SignalContribution(signal: reason.rule)
                contribution.totalWeight += reason.weight
                let decisive = flagged && total - reason.weight < review
                switch (label.kind, right) {
                case (.flag, true):
                    contribution.caught += 1
                    if decisive { contribution.decisiveCatches += 1 }
                case (.flag, false): contribution.missed += 1
                case (.clear, false):
                    contribution.falseAlarms += 1
                    if decisive { contribution.decisiveFalseAlarms += 1 }
                default: contribution.quiet += 1
                }
                signals[reason.rule] = contribution
            }
        }
    }
}
