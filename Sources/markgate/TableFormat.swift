import MarkgateCore
import MarkgateIO

/// `--format table`: one aligned line per parcel for a terminal.
enum TableFormat {
    static let header = pad("PARCEL", 16) + pad("DECISION", 9) + pad("SCORE", 7) + "HITS"

    static func row(_ decision: Decision) -> String {
        let hits = decision.hits.map { "\($0.mark) \"\($0.matched)\" (\($0.method.rawValue))" }.joined(separator: "; ")
        return pad(decision.parcel, 16) + pad(decision.decision.rawValue, 9)
            + pad(DecisionJSON.number(decision.score), 7) + hits
    }

    static func row(_ error: RecordError) -> String {
        pad(error.parcel ?? "-", 16) + pad("error", 9) + pad("", 7) + "\(error.location.file): \(error)"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
