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
    /// When it was screened: ISO 8601 UTC with milliseconds (`timestamp`), held inline.
    public let recordedTime: InlineBytes
    /// `ChainHasher.decisionContent` of the columns above, held inline.
    public let contentDigest: InlineBytes

    /// `recordedTime` as text.
    public var recorded: String { recordedTime.description }
    /// `contentDigest` as an array.
    public var content: [UInt8] { contentDigest.array }
    /// `decisionLine` as text.
    public var decisionJSON: String { String(decoding: decisionLine, as: UTF8.self) }
    /// `parcelData` as text.
    public var parcelJSON: String? { parcelData.map { String(decoding: $0, as: UTF8.self) } }

    /// A decision on `parcel`; `line` is its contract §3 JSON line (rendered once, shared with the output).
    public init(decision: Decision, parcel: Parcel, line: [UInt8], recorded: InlineBytes = DecisionEntry.nowInline()) {
        var parcelBytes: [UInt8] = []
        ParcelJSON.append(parcel, to: &parcelBytes)
        self.init(parcel: decision.parcel, kind: decision.decision.rawValue, score: decision.score,
                  decisionLine: line, parcelData: parcelBytes, recorded: recorded)
    }

    /// An error record standing in place of an unreadable record; `line` is its contract §3 JSON line.
    public init(error: RecordError, line: [UInt8], recorded: InlineBytes = DecisionEntry.nowInline()) {
        self.init(parcel: error.parcel, kind: "error", score: nil, decisionLine: line, parcelData: nil,
                  recorded: recorded)
    }

    /// An entry from its columns (what the case book stores); `recorded` is at most 32 bytes of UTF-8.
    public init(parcel: String?, kind: String, score: Double?, decisionJSON: String, parcelJSON: String?,
                recorded: String) {
        var recorded = recorded
        self.init(parcel: parcel, kind: kind, score: score, decisionLine: Array(decisionJSON.utf8),
                  parcelData: parcelJSON.map { Array($0.utf8) }, recorded: recorded.withUTF8 { InlineBytes($0) })
    }

    /// An entry from its columns, the two long ones as UTF-8 bytes.
    public init(parcel: String?, kind: String, score: Double?, decisionLine: [UInt8], parcelData: [UInt8]?,
                recorded: InlineBytes) {
        self.parcel = parcel
        self.kind = kind
        self.score = score
        self.decisionLine = decisionLine
        self.parcelData = parcelData
        recordedTime = recorded
        contentDigest = InlineBytes(count: SHA256.digestCount) { digest in
            decisionLine.withUnsafeBufferPointer { line in
                Self.withBytes(parcelData) { parcelBytes in
                    recorded.withBytes { time in
                        ChainHasher.decisionContent(parcel: parcel, kind: kind, score: score, decisionLine: line,
                                                    parcelData: parcelBytes, recorded: time, into: digest)
                    }
                }
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

    /// `now()`, held inline.
    public static func nowInline() -> InlineBytes {
        InlineBytes(count: timestampLength) { write(Date(), into: $0) }
    }

    /// Bytes of a timestamp.
    static let timestampLength = 24

    /// `date` as `2026-11-21T18:40:12.345Z` (UTC, milliseconds, truncated; years 0…9999).
    public static func timestamp(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: timestampLength) { out in
            write(date, into: out)
            return timestampLength
        }
    }

    /// Writes `timestamp(date)` to the first 24 bytes of `out`.
    ///
    /// Runs for every record screened, so the civil date is computed from the day number (H. Hinnant's
    /// days-to-civil algorithm) and the digits written in place, without gmtime_r.
    static func write(_ date: Date, into out: UnsafeMutableBufferPointer<UInt8>) {
        precondition(out.count >= timestampLength, "a timestamp needs 24 bytes")
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, inDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let day = inDay < 0 ? days - 1 : days
        let millisecondOfDay = inDay < 0 ? inDay + 86_400_000 : inDay
        let shifted = day + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func put(_ value: Int64, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
                value /= 10
            }
        }
        put(year, at: 0, digits: 4)
        out[4] = UInt8(ascii: "-")
        put(month, at: 5, digits: 2)
        out[7] = UInt8(ascii: "-")
        put(dayOfMonth, at: 8, digits: 2)
        out[10] = UInt8(ascii: "T")
        put(millisecondOfDay / 3_600_000, at: 11, digits: 2)
        out[13] = UInt8(ascii: ":")
        put(millisecondOfDay / 60_000 % 60, at: 14, digits: 2)
        out[16] = UInt8(ascii: ":")
        put(millisecondOfDay / 1_000 % 60, at: 17, digits: 2)
        out[19] = UInt8(ascii: ".")
        put(millisecondOfDay % 1_000, at: 20, digits: 3)
        out[23] = UInt8(ascii: "Z")
    }
}
