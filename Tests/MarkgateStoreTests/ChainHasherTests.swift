import MarkgateIO
import Testing
@testable import MarkgateStore

/// `ChainHasher` hashes exactly the encoding its documentation defines (so anyone can recompute a row hash
/// from an export): each case is checked against a reference encoder written from that text alone, and one
/// row's hashes are pinned, so a faster implementation can never change what a stored chain means.
struct ChainHasherTests {
    /// The documented encoding: a tag, then each field as an 8-byte big-endian length and its UTF-8 bytes, NULL
    /// as the length 0xFFFF_FFFF_FFFF_FFFF with no bytes; integers in decimal, reals as `String(value)`.
    struct Reference {
        var bytes: [UInt8] = []

        init(tag: String) { field(tag) }

        mutating func field(_ text: String?) {
            guard let text else {
                bytes += [UInt8](repeating: 0xFF, count: 8)
                return
            }
            field(bytes: Array(text.utf8))
        }

        mutating func field(bytes more: [UInt8]) {
            let count = UInt64(more.count)
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: count >> UInt64(56 - 8 * $0)) }
            bytes += more
        }

        var digest: [UInt8] { SHA256.hash(bytes) }
    }

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let parcel: String?
        let kind: String
        let score: Double?
        let decisionJSON: String
        let parcelJSON: String?
        let recorded: String
        let seq: Int64
        let runID: Int64
        let ordinal: Int64
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "a clear decision with its parcel", parcel: "P1", kind: "clear", score: 0.05,
            decisionJSON: #"{"parcel_id":"P1","decision":"clear","score":0.05}"#,
            parcelJSON: #"{"parcel_id":"P1","items":[{"line_no":1,"description":"socks"}]}"#,
            recorded: "2026-11-21T18:40:12.345Z", seq: 1, runID: 1, ordinal: 0),
        Row(name: "an error record: no parcel id, no score, no parcel data", parcel: nil, kind: "error", score: nil,
            decisionJSON: #"{"error":"bad row"}"#, parcelJSON: nil, recorded: "t", seq: 9, runID: 2, ordinal: 8),
        Row(name: "empty strings are not NULL", parcel: "", kind: "review", score: 1, decisionJSON: "",
            parcelJSON: "", recorded: "", seq: 10, runID: 3, ordinal: 0),
        Row(name: "the text null is not NULL", parcel: "null", kind: "inspect", score: 0.5700000000000001,
            decisionJSON: "null", parcelJSON: "null", recorded: "null", seq: 11, runID: 3, ordinal: 1),
        Row(name: "non-ASCII text and a long line", parcel: "包裹-耐克", kind: "inspect", score: 0.95,
            decisionJSON: String(repeating: "{\"description\":\"耐克 NIKE 香奈兒\"}", count: 40),
            parcelJSON: String(repeating: "x", count: 1_000), recorded: "2026-01-01T00:00:00.000Z",
            seq: 1_234_567_890_123, runID: 77, ordinal: 9_876_543_210),
        Row(name: "lengths around the SHA-256 block boundary", parcel: "P", kind: "clear", score: 0,
            decisionJSON: String(repeating: "d", count: 55), parcelJSON: String(repeating: "p", count: 64),
            recorded: "r", seq: 0, runID: 0, ordinal: 0),
    ]

    @Test(arguments: rows)
    func theContentDigestIsTheDocumentedEncodingHashed(row: Row) {
        var reference = Reference(tag: "markgate.decision.content.v1")
        reference.field(row.parcel)
        reference.field(row.kind)
        reference.field(row.score.map { String($0) })
        reference.field(row.decisionJSON)
        reference.field(row.parcelJSON)
        reference.field(row.recorded)
        let content = ChainHasher.decisionContent(parcel: row.parcel, kind: row.kind, score: row.score,
                                                  decisionJSON: row.decisionJSON, parcelJSON: row.parcelJSON,
                                                  recorded: row.recorded)
        #expect(content == reference.digest)
        let entry = DecisionEntry(parcel: row.parcel, kind: row.kind, score: row.score,
                                  decisionJSON: row.decisionJSON, parcelJSON: row.parcelJSON, recorded: row.recorded)
        #expect(entry.content == reference.digest)
    }

    @Test(arguments: rows)
    func theRowHashIsTheDocumentedEncodingHashed(row: Row) {
        let content = ChainHasher.decisionContent(parcel: row.parcel, kind: row.kind, score: row.score,
                                                  decisionJSON: row.decisionJSON, parcelJSON: row.parcelJSON,
                                                  recorded: row.recorded)
        let prev = SHA256.hex(SHA256.hash(Array(row.name.utf8)))
        var reference = Reference(tag: "markgate.decision.row.v1")
        reference.field(String(row.seq))
        reference.field(prev)
        reference.field(String(row.runID))
        reference.field("/data/manifest 2026-11-21.csv")
        reference.field("sha256:" + String(repeating: "ab", count: 32))
        reference.field(String(row.ordinal))
        reference.field(bytes: content)
        let hash = ChainHasher.decisionRow(seq: row.seq, prevHash: prev, runID: row.runID,
                                           source: "/data/manifest 2026-11-21.csv",
                                           sourceID: "sha256:" + String(repeating: "ab", count: 32),
                                           ordinal: row.ordinal, content: content)
        #expect(hash == SHA256.hex(reference.digest))
    }

    /// Pinned values, computed before the hashing was made faster: a stored chain keeps its meaning.
    @Test func aRowsHashesArePinned() {
        let content = ChainHasher.decisionContent(parcel: "P1", kind: "clear", score: 0.05,
                                                  decisionJSON: #"{"parcel_id":"P1","decision":"clear"}"#,
                                                  parcelJSON: #"{"parcel_id":"P1","items":[]}"#,
                                                  recorded: "2026-11-21T18:40:12.345Z")
        #expect(SHA256.hex(content) == "553a6a9051e9ab8a4f7385cc6fa2d2a5b4e5e30ed052c3c48358075865d6c0aa")
        let row = ChainHasher.decisionRow(seq: 1, prevHash: ChainHasher.genesis, runID: 1, source: "a.csv",
                                          sourceID: "sha256:00", ordinal: 0, content: content)
        #expect(row == "cfef0a2bf940722dc60e7ca8f80bbae39cb4345161cba428938d9047e32e6a57")
        let review = ChainHasher.reviewRow(seq: 1, prevHash: ChainHasher.genesis, parcel: "P1", decisionSeq: 1,
                                           verdict: "false-alarm", note: "licensed importer", reviewer: "officer 7",
                                           recorded: "2026-11-21T18:41:00.000Z")
        #expect(review == "7ef10f089edd8adbe67d494655c8a14569e3b6c07d5e1a17e1bd04be99147fc0")
    }
}
