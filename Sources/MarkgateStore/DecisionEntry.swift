import Foundation
import MarkgateCore
import MarkgateIO

/// One screened record made ready for the case book on the thread that screened it: its columns and their
/// content digest (the costly part of the row hash), so the committing thread only chains and inserts.
///
/// An unreadable record is an entry too (kind `error`): every input record yields one row.
public struct DecisionEntry: Sendable {
    /// The parcel id (nil for an error record without one).
    public let parcel: String?
    /// `clear`, `review`, `inspect`, or `error`.
    public let kind: String
    /// The decision's score; nil for an error record.
    public let score: Double?
    /// The contract §3 line exactly as written out (a decision or an error record).
    public let decisionJSON: String
    /// The parcel as a contract §2 JSON Lines object (`ParcelJSON`); nil for an error record.
    public let parcelJSON: String?
    /// When it was screened: ISO 8601 UTC with milliseconds.
    public let recorded: String
    /// `ChainHasher.decisionContent` of the columns above.
    public let content: [UInt8]

    /// A decision on `parcel`; `line` is its contract §3 JSON line (rendered once, shared with the output).
    public init(decision: Decision, parcel: Parcel, line: [UInt8], recorded: String = DecisionEntry.now()) {
        var parcelBytes: [UInt8] = []
        ParcelJSON.append(parcel, to: &parcelBytes)
        self.init(parcel: decision.parcel, kind: decision.decision.rawValue, score: decision.score,
                  decisionJSON: String(decoding: line, as: UTF8.self),
                  parcelJSON: String(decoding: parcelBytes, as: UTF8.self), recorded: recorded)
    }

    /// An error record standing in place of an unreadable record; `line` is its contract §3 JSON line.
    public init(error: RecordError, line: [UInt8], recorded: String = DecisionEntry.now()) {
        self.init(parcel: error.parcel, kind: "error", score: nil, decisionJSON: String(decoding: line, as: UTF8.self),
                  parcelJSON: nil, recorded: recorded)
    }

    /// An entry from its columns (what the case book stores).
    public init(parcel: String?, kind: String, score: Double?, decisionJSON: String, parcelJSON: String?,
                recorded: String) {
        self.parcel = parcel
        self.kind = kind
        self.score = score
        self.decisionJSON = decisionJSON
        self.parcelJSON = parcelJSON
        self.recorded = recorded
        content = ChainHasher.decisionContent(parcel: parcel, kind: kind, score: score, decisionJSON: decisionJSON,
                                              parcelJSON: parcelJSON, recorded: recorded)
    }

    /// The time now as the case book writes it: `2026-11-21T18:40:12.345Z`.
    public static func now() -> String {
        timestamp(Date())
    }

    /// `date` as `2026-11-21T18:40:12.345Z` (UTC, milliseconds).
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(milliseconds % 1000)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):"
            + "\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}
