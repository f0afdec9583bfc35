import MarkgateCore

/// The reviewed parcels of a case book as a labelled manifest, for `rules backtest --db`.
///
/// Each parcel's verdict in force becomes its label: `confirmed` is `flag` with the first mark its reviewed
/// decision hit (the mark a re-screening must name), `false-alarm` is `clear`; the family is the verdict. The
/// manifest is the parcels' stored data as contract §2 JSON Lines, one per line, in the order they were
/// reviewed, to be screened again under the rules in force.
public struct ReviewedCases: Sendable {
    public var labels: [String: Backtest.Label] = [:]
    public var manifest: [UInt8] = []
    /// Verdicts whose decision has no parcel data (error records), left out.
    public var skipped = 0

    public init(_ verdicts: [(review: ReviewRecord, decision: RecordedDecision)]) {
        for (review, decision) in verdicts {
            guard let parcelJSON = decision.parcelJSON else {
                skipped += 1
                continue
            }
            switch review.verdict {
            case .confirmed:
                labels[review.parcel] = Backtest.Label(kind: .flag, mark: decision.markIDs.first, family: "confirmed")
            case .falseAlarm:
                labels[review.parcel] = Backtest.Label(kind: .clear, family: "false-alarm")
            }
            manifest.append(contentsOf: parcelJSON.utf8)
            manifest.append(0x0A)
        }
    }
}
