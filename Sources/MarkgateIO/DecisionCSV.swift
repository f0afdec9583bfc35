import Foundation
import MarkgateCore

/// Writes decisions as CSV rows (RFC 4180): one row per parcel, hits and reasons summarized.
public enum DecisionCSV {
    public static let header = "parcel,decision,score,marks,methods,matched,reasons,error,source"

    public static func row(_ decision: Decision) -> String {
        let marks = unique(decision.hits.map(\.mark)).joined(separator: "|")
        let methods = unique(decision.hits.map(\.method.rawValue)).joined(separator: "|")
        let matched = decision.hits.map(\.matched).joined(separator: "|")
        let reasons = decision.reasons.map { "\($0.rule) \(DecisionJSON.number($0.weight))" }.joined(separator: "|")
        return [decision.parcel, decision.decision.rawValue, DecisionJSON.number(decision.score), marks, methods,
                matched, reasons, "", ""].map(field).joined(separator: ",")
    }

    public static func row(_ error: RecordError) -> String {
        [error.parcel ?? "", "", "", "", "", "", "", error.description,
         "\(error.location.file):\(error.location.line)"].map(field).joined(separator: ",")
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// A field, quoted when it holds a comma, quote or line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
