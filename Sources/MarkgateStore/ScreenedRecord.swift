import MarkgateCore
import MarkgateIO

/// One manifest record screened for the case book, on the worker that screens it: the outcome, its contract
/// §3 JSON line and its `DecisionEntry` (parcel data and content digest included).
///
/// What `markgate screen --db` and the pipeline benchmark's `--db` mode hand from the workers to the recorder,
/// so the thread that commits only chains and inserts.
public struct ScreenedRecord: Sendable {
    public var outcome: ScreeningPipeline.Outcome
    /// The decision (stamped with the register and rules hashes) or error record as a JSON line.
    public var json: [UInt8]
    public var entry: DecisionEntry

    /// Screens `record` (a parcel) or takes its error record, stamps the hashes and renders it.
    public init(_ record: ManifestRecord, screener: Screener, registerHash: String?, rulesHash: String?) {
        json = []
        switch record {
        case .parcel(let parcel, _):
            var decision = screener.screen(parcel)
            decision.register = registerHash
            decision.rules = rulesHash
            DecisionJSON.append(decision, to: &json)
            outcome = .decision(decision, items: parcel.items.count)
            entry = DecisionEntry(decision: decision, parcel: parcel, line: json)
        case .error(let error):
            DecisionJSON.append(error, to: &json)
            outcome = .error(error)
            entry = DecisionEntry(error: error, line: json)
        }
    }
}
