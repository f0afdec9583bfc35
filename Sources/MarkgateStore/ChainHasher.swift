import MarkgateIO

/// The hashes that chain the case book's rows: a canonical, unambiguous encoding of a row's columns, hashed.
///
/// Every field is written as an 8-byte big-endian length and its UTF-8 bytes; NULL is the length
/// `0xFFFF_FFFF_FFFF_FFFF` with no bytes, so `NULL`, `""` and `"null"` differ. Integers are written in decimal,
/// reals in Swift's shortest round-trip form (`String(value)`: `0.95`, `1.0`, `0.5700000000000001`), which is
/// one text per value and what an export gives as the score. The first field is a tag naming the table and the
/// encoding version. Hashes are SHA-256, stored as 64 lower-case hex digits.
///
/// A decision row is hashed in two steps so the long part can be hashed on the screening threads:
/// `content = H(tag, parcel, kind, score, decision_json, parcel_json, recorded)`, then
/// `row_hash = H(tag, seq, prev_hash, run_id, source, source_id, ordinal, content)`. Both steps together cover
/// every column but `row_hash`. A review row is hashed in one step over all its columns but `row_hash`.
/// The first row of each chain has `prev_hash` = `genesis` (64 zeros).
public enum ChainHasher {
    /// `prev_hash` of the first row of a chain.
    public static let genesis = String(repeating: "0", count: 64)

    /// The content digest of a decision row (32 bytes): every column that is known when it is screened.
    public static func decisionContent(parcel: String?, kind: String, score: Double?, decisionJSON: String,
                                       parcelJSON: String?, recorded: String) -> [UInt8] {
        var encoder = Encoder(tag: "markgate.decision.content.v1",
                              capacity: 160 + decisionJSON.utf8.count + (parcelJSON?.utf8.count ?? 0))
        encoder.field(parcel)
        encoder.field(kind)
        encoder.field(score)
        encoder.field(decisionJSON)
        encoder.field(parcelJSON)
        encoder.field(recorded)
        return encoder.digest()
    }

    /// A decision row's hash, from its place in the chain and its content digest.
    public static func decisionRow(seq: Int64, prevHash: String, runID: Int64, source: String, sourceID: String,
                                   ordinal: Int64, content: [UInt8]) -> String {
        var encoder = Encoder(tag: "markgate.decision.row.v1")
        encoder.field(seq)
        encoder.field(prevHash)
        encoder.field(runID)
        encoder.field(source)
        encoder.field(sourceID)
        encoder.field(ordinal)
        encoder.field(bytes: content)
        return SHA256.hex(encoder.digest())
    }

    /// A review row's hash, over all its columns but `row_hash`.
    public static func reviewRow(seq: Int64, prevHash: String, parcel: String, decisionSeq: Int64, verdict: String,
                                 note: String, reviewer: String, recorded: String) -> String {
        var encoder = Encoder(tag: "markgate.review.row.v1")
        encoder.field(seq)
        encoder.field(prevHash)
        encoder.field(parcel)
        encoder.field(decisionSeq)
        encoder.field(verdict)
        encoder.field(note)
        encoder.field(reviewer)
        encoder.field(recorded)
        return SHA256.hex(encoder.digest())
    }

    /// Length-prefixed fields gathered in one buffer, then hashed in one go (one SHA-256 update per row, not
    /// one per field: the row hash of a decision costs a quarter of what it did field by field).
    struct Encoder {
        private var bytes: [UInt8] = []

        init(tag: StaticString, capacity: Int = 256) {
            bytes.reserveCapacity(capacity)
            tag.withUTF8Buffer { field(bytes: $0) }
        }

        mutating func field(_ text: String?) {
            guard var text else {
                bytes.append(contentsOf: Self.nullLength)
                return
            }
            text.withUTF8 { field(bytes: $0) }
        }

        /// Decimal digits, written without making a `String`.
        mutating func field(_ value: Int64) {
            guard value >= 0 else { return field(String(value)) }
            var digits = 1
            var rest = value / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            length(digits)
            let end = bytes.count + digits
            bytes.append(contentsOf: repeatElement(0, count: digits))
            var remaining = value
            for index in stride(from: end - 1, through: end - digits, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
        }

        mutating func field(_ value: Double?) {
            field(value.map { String($0) })
        }

        mutating func field(bytes more: some Collection<UInt8>) {
            length(more.count)
            bytes.append(contentsOf: more)
        }

        private mutating func length(_ count: Int) {
            withUnsafeBytes(of: UInt64(count).bigEndian) { bytes.append(contentsOf: $0) }
        }

        func digest() -> [UInt8] { SHA256.hash(bytes) }

        static let nullLength: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
    }
}
