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
        withUTF8(decisionJSON) { decision in
            withUTF8(parcelJSON) { parcelData in
                withUTF8(recorded) { recorded in
                    [UInt8](unsafeUninitializedCapacity: SHA256.digestCount) { digest, initialized in
                        decisionContent(parcel: parcel, kind: kind, score: score, decisionLine: decision!,
                                        parcelData: parcelData, recorded: recorded!, into: digest)
                        initialized = SHA256.digestCount
                    }
                }
            }
        }
    }

    /// The content digest of a decision row, from the UTF-8 bytes of its decision line, parcel data and time,
    /// written to the first 32 bytes of `digest`.
    public static func decisionContent(parcel: String?, kind: String, score: Double?,
                                       decisionLine: UnsafeBufferPointer<UInt8>,
                                       parcelData: UnsafeBufferPointer<UInt8>?, recorded: UnsafeBufferPointer<UInt8>,
                                       into digest: UnsafeMutableBufferPointer<UInt8>) {
        let scoreText = score.map { String($0) }
        let capacity = Encoder.size(of: contentTag) + Encoder.size(of: parcel) + Encoder.size(of: kind)
            + Encoder.size(of: scoreText) + 8 + decisionLine.count + 8 + (parcelData?.count ?? 0) + 8 + recorded.count
        Encoder.hash(capacity: capacity, tag: contentTag, into: digest) { encoder in
            encoder.field(parcel)
            encoder.field(kind)
            encoder.field(scoreText)
            encoder.field(bytes: decisionLine)
            encoder.field(bytes: parcelData)
            encoder.field(bytes: recorded)
        }
    }

    /// A decision row's hash, from its place in the chain and its content digest.
    public static func decisionRow(seq: Int64, prevHash: String, runID: Int64, source: String, sourceID: String,
                                   ordinal: Int64, content: [UInt8]) -> String {
        withUTF8(prevHash) { prev in
            withUTF8(source) { source in
                withUTF8(sourceID) { sourceID in
                    content.withUnsafeBufferPointer { content in
                        String(unsafeUninitializedCapacity: 2 * SHA256.digestCount) { hex in
                            decisionRow(seq: seq, prevHash: prev!, runID: runID, source: source!,
                                        sourceID: sourceID!, ordinal: ordinal, content: content, hexInto: hex)
                            return 2 * SHA256.digestCount
                        }
                    }
                }
            }
        }
    }

    /// A decision row's hash written as 64 hex digits to `hex`, from UTF-8 bytes, allocating nothing: what the
    /// case book's insert loop calls for every row.
    public static func decisionRow(seq: Int64, prevHash: UnsafeBufferPointer<UInt8>, runID: Int64,
                                   source: UnsafeBufferPointer<UInt8>, sourceID: UnsafeBufferPointer<UInt8>,
                                   ordinal: Int64, content: UnsafeBufferPointer<UInt8>,
                                   hexInto hex: UnsafeMutableBufferPointer<UInt8>) {
        let capacity = Encoder.size(of: rowTag) + 3 * Encoder.integerSize + 8 + prevHash.count + 8 + source.count
            + 8 + sourceID.count + 8 + content.count
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA256.digestCount) { digest in
            Encoder.hash(capacity: capacity, tag: rowTag, into: digest) { encoder in
                encoder.field(seq)
                encoder.field(bytes: prevHash)
                encoder.field(runID)
                encoder.field(bytes: source)
                encoder.field(bytes: sourceID)
                encoder.field(ordinal)
                encoder.field(bytes: content)
            }
            SHA256.hex(UnsafeBufferPointer(digest), into: hex)
        }
    }

    /// A review row's hash, over all its columns but `row_hash`.
    public static func reviewRow(seq: Int64, prevHash: String, parcel: String, decisionSeq: Int64, verdict: String,
                                 note: String, reviewer: String, recorded: String) -> String {
        let capacity = Encoder.size(of: reviewTag) + 2 * Encoder.integerSize + Encoder.size(of: prevHash)
            + Encoder.size(of: parcel) + Encoder.size(of: verdict) + Encoder.size(of: note)
            + Encoder.size(of: reviewer) + Encoder.size(of: recorded)
        let digest = [UInt8](unsafeUninitializedCapacity: SHA256.digestCount) { digest, initialized in
            Encoder.hash(capacity: capacity, tag: reviewTag, into: digest) { encoder in
                encoder.field(seq)
                encoder.field(prevHash)
                encoder.field(parcel)
                encoder.field(decisionSeq)
                encoder.field(verdict)
                encoder.field(note)
                encoder.field(reviewer)
                encoder.field(recorded)
            }
            initialized = SHA256.digestCount
        }
        return SHA256.hex(digest)
    }

    private static let contentTag: StaticString = "markgate.decision.content.v1"
    private static let rowTag: StaticString = "markgate.decision.row.v1"
    private static let reviewTag: StaticString = "markgate.review.row.v1"

    /// Calls `body` with `text`'s UTF-8 bytes (nil for nil).
    private static func withUTF8<T>(_ text: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        guard var text else { return body(nil) }
        return text.withUTF8 { body($0) }
    }

    /// Length-prefixed fields written into one buffer of a size known beforehand (on the stack when it is small),
    /// then hashed in one go: one SHA-256 pass and no allocation per row.
    struct Encoder {
        private let buffer: UnsafeMutableBufferPointer<UInt8>
        private var count = 0

        /// Bytes an integer field takes at most (length and up to 20 digits).
        static let integerSize = 8 + 20

        /// Bytes the field `text` takes.
        static func size(of text: String?) -> Int { 8 + (text?.utf8.count ?? 0) }

        static func size(of tag: StaticString) -> Int { 8 + tag.utf8CodeUnitCount }

        /// Encodes `tag` and what `fill` writes into a buffer of `capacity` bytes (an upper bound of what is
        /// written), and writes the SHA-256 of the encoding to `digest`.
        static func hash(capacity: Int, tag: StaticString, into digest: UnsafeMutableBufferPointer<UInt8>,
                         _ fill: (inout Encoder) -> Void) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                var encoder = Encoder(buffer: buffer)
                tag.withUTF8Buffer { encoder.field(bytes: $0) }
                fill(&encoder)
                SHA256.hash(UnsafeBufferPointer(rebasing: buffer[..<encoder.count]), into: digest)
            }
        }

        private init(buffer: UnsafeMutableBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        mutating func field(_ text: String?) {
            guard var text else { return null() }
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
            precondition(count + digits <= buffer.count, "ChainHasher.Encoder: field past its buffer")
            var remaining = value
            for index in stride(from: count + digits - 1, through: count, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            count += digits
        }

        /// The bytes as they are; nil is NULL.
        mutating func field(bytes more: UnsafeBufferPointer<UInt8>?) {
            guard let more else { return null() }
            length(more.count)
            precondition(count + more.count <= buffer.count, "ChainHasher.Encoder: field past its buffer")
            if let base = more.baseAddress, !more.isEmpty {
                (buffer.baseAddress! + count).update(from: base, count: more.count)
            }
            count += more.count
        }

        private mutating func null() {
            precondition(count + 8 <= buffer.count, "ChainHasher.Encoder: field past its buffer")
            for index in count..<(count + 8) { buffer[index] = 0xFF }
            count += 8
        }

        private mutating func length(_ value: Int) {
            precondition(count + 8 <= buffer.count, "ChainHasher.Encoder: field past its buffer")
            let length = UInt64(value)
            for index in 0..<8 { buffer[count + index] = UInt8(truncatingIfNeeded: length >> UInt64(56 - 8 * index)) }
            count += 8
        }
    }
}
