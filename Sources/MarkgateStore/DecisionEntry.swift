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
    /// The contract §3 line exactly as written out (a decision or an error record), UTF-8: the output's own
    /// bytes, shared, not copied.
    public let decisionLine: [UInt8]
    /// The parcel as a contract §2 JSON Lines object (`ParcelJSON`), UTF-8; nil for an error record.
    public let parcelData: [UInt8]?
    /// When it was screened: ISO 8601 UTC with milliseconds.
    public let recorded: String
    /// `ChainHasher.decisionContent` of the columns above.
    public let content: [UInt8]

    /// `decisionLine` as text.
    public var decisionJSON: String { String(decoding: decisionLine, as: UTF8.self) }
    /// `parcelData` as text.
    public var parcelJSON: String? { parcelData.map { String(decoding: $0, as: UTF8.self) } }

    /// A decision on `parcel`; `line` is its contract §3 JSON line (rendered once, shared with the output).
    public init(decision: Decision, parcel: Parcel, line: [UInt8], recorded: String = DecisionEntry.now()) {
        var parcelBytes: [UInt8] = []
        parcelBytes.reserveCapacity(64 + 160 * parcel.items.count)
        ParcelJSON.append(parcel, to: &parcelBytes)
        self.init(parcel: decision.parcel, kind: decision.decision.rawValue, score: decision.score,
                  decisionLine: line, parcelData: parcelBytes, recorded: recorded)
    }

    /// An error record standing in place of an unreadable record; `line` is its contract §3 JSON line.
    public init(error: RecordError, line: [UInt8], recorded: String = DecisionEntry.now()) {
        self.init(parcel: error.parcel, kind: "error", score: nil, decisionLine: line, parcelData: nil,
                  recorded: recorded)
    }

    /// An entry from its columns (what the case book stores).
    public init(parcel: String?, kind: String, score: Double?, decisionJSON: String, parcelJSON: String?,
                recorded: String) {
        self.init(parcel: parcel, kind: kind, score: score, decisionLine: Array(decisionJSON.utf8),
                  parcelData: parcelJSON.map { Array($0.utf8) }, recorded: recorded)
    }

    /// An entry from its columns, the two long ones as UTF-8 bytes.
    public init(parcel: String?, kind: String, score: Double?, decisionLine: [UInt8], parcelData: [UInt8]?,
                recorded: String) {
        self.parcel = parcel
        self.kind = kind
        self.score = score
        self.decisionLine = decisionLine
        self.parcelData = parcelData
        self.recorded = recorded
        content = decisionLine.withUnsafeBufferPointer { line in
            Self.withBytes(parcelData) { parcelBytes in
                ChainHasher.decisionContent(parcel: parcel, kind: kind, score: score, decisionLine: line,
                                            parcelData: parcelBytes, recorded: recorded)
            }
        }
    }

    /// Calls `body` with `bytes` in place (nil for nil).
    public static func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBufferPointer { body($0) }
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
        // Written digit by digit: this runs for every record screened.
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, at: 0, digits: 4)
        put(Int(parts.tm_mon) + 1, at: 5, digits: 2)
        put(Int(parts.tm_mday), at: 8, digits: 2)
        put(Int(parts.tm_hour), at: 11, digits: 2)
        put(Int(parts.tm_min), at: 14, digits: 2)
        put(Int(parts.tm_sec), at: 17, digits: 2)
        put(Int(milliseconds % 1000), at: 20, digits: 3)
        for (offset, character) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z")] {
            out[offset] = UInt8(ascii: Unicode.Scalar(character)!)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
