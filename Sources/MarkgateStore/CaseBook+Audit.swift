import Foundation
import GRDB
import MarkgateIO

extension CaseBook {
    /// Walks both chains in seq order, recomputing each row's hash, and checks the heads, the reviews'
    /// references and the stored texts; reports the first problem in each chain.
    ///
    /// A row whose columns do not give its `row_hash` is `altered`; a gap in the seqs, or a chain that ends
    /// before its head in `audit_head`, is `removed`; a row whose `prev_hash` is the hash of a row elsewhere is
    /// `reordered`; rows after the head are `added`. What this cannot see: someone who rewrites or cuts the tail
    /// and rewrites `audit_head` to match (nothing in the file is secret). Against that, compare the head with
    /// one kept outside the file, such as an export's sign-off line.
    public func verify() throws(CaseBookError) -> AuditReport {
        try read { db in
            var report = AuditReport()
            // Each source's rows must have the ordinals 0, 1, 2 … in seq order.
            var next: [String: Int64] = [:]
            let decisions = try Self.walk(db, table: "decisions", columns: """
                seq, prev_hash, row_hash, parcel, run_id, source, source_id, ordinal, kind, score, decision_json,
                parcel_json, recorded
                """, into: &report.decisions, visit: { row in
                let source: String = row[6]
                let ordinal: Int64 = row[7]
                let expected = next[source] ?? 0
                next[source] = ordinal + 1
                guard ordinal != expected else { return nil }
                return AuditReport.Problem(table: "decisions", seq: row[0], parcel: row[3], kind: .reference,
                                           detail: "record \(ordinal) of \(source) where record \(expected) was due")
            }) { row in
                let content = ChainHasher.decisionContent(parcel: row[3], kind: row[8], score: row[9],
                                                          decisionJSON: row[10], parcelJSON: row[11],
                                                          recorded: row[12])
                return ChainHasher.decisionRow(seq: row[0], prevHash: row[1], runID: row[4], source: row[5],
                                               sourceID: row[6], ordinal: row[7], content: content)
            }
            report.problems += decisions
            if decisions.isEmpty, let problem = try Self.checkSources(db, rows: next) {
                report.problems.append(problem)
            }
            let reviews = try Self.walk(db, table: "reviews", columns: """
                seq, prev_hash, row_hash, parcel, decision_seq, verdict, note, reviewer, recorded
                """, into: &report.reviews) { row in
                ChainHasher.reviewRow(seq: row[0], prevHash: row[1], parcel: row[3], decisionSeq: row[4],
                                      verdict: row[5], note: row[6], reviewer: row[7], recorded: row[8])
            }
            report.problems += reviews
            if reviews.isEmpty, let problem = try Self.checkReferences(db) { report.problems.append(problem) }
            let texts = try Row.fetchCursor(db, sql: "SELECT hash, content FROM texts ORDER BY hash")
            while let text = try texts.next() {
                report.texts += 1
                let hash: String = text[0]
                let content: Data = text[1]
                if "sha256:" + SHA256.hex(SHA256.hash([UInt8](content))) != hash {
                    report.problems.append(AuditReport.Problem(
                        table: "texts", seq: nil, parcel: nil, kind: .altered,
                        detail: "the text stored for \(hash) does not hash to it"))
                    break
                }
            }
            return report
        }
    }

    /// Walks one chain; returns its first problem (or none) and fills `chain` with what it walked.
    private static func walk(_ db: Database, table: String, columns: String, into chain: inout AuditReport.Chain,
                             visit: (Row) -> AuditReport.Problem? = { _ in nil },
                             rowHash: (Row) -> String) throws -> [AuditReport.Problem] {
        let (headSeq, headHash) = try head(db, chain: table)
        let hasHead = try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM audit_head WHERE chain = ?",
                                        arguments: [table]) ?? false
        var expectedSeq: Int64 = 1
        var prevHash = ChainHasher.genesis
        var prevParcel: String?
        func problem(_ seq: Int64?, _ parcel: String?, _ kind: AuditReport.Problem.Kind,
                     _ detail: String) -> [AuditReport.Problem] {
            [AuditReport.Problem(table: table, seq: seq, parcel: parcel, kind: kind, detail: detail)]
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM \(table) ORDER BY seq")
        while let row = try rows.next() {
            let seq: Int64 = row[0]
            let storedPrev: String = row[1]
            let storedHash: String = row[2]
            let parcel: String? = row[3]
            if seq != expectedSeq {
                let missing = expectedSeq == seq - 1 ? "seq \(expectedSeq) is" : "seqs \(expectedSeq)–\(seq - 1) are"
                return problem(seq, parcel, .removed, "\(missing) missing: this row follows seq \(expectedSeq - 1)")
            }
            let recomputed = rowHash(row)
            if storedPrev != prevHash {
                if let other = try Int64.fetchOne(db, sql: "SELECT seq FROM \(table) WHERE row_hash = ? LIMIT 1",
                                                  arguments: [storedPrev]), other != seq - 1 {
                    return problem(seq, parcel, .reordered, "its prev_hash is the hash of seq \(other), not of seq "
                                   + "\(seq - 1): rows were swapped or moved")
                }
                if recomputed != storedHash {
                    return problem(seq, parcel, .altered, "its columns do not hash to its row_hash, and its prev_hash "
                                   + "is not the row_hash of seq \(seq - 1)")
                }
                return problem(seq - 1, prevParcel, .altered, "the row was rewritten: its row_hash is not the "
                               + "prev_hash that seq \(seq) recorded for it")
            }
            if recomputed != storedHash {
                return problem(seq, parcel, .altered, "its columns do not hash to its row_hash")
            }
            if hasHead && seq > headSeq {
                return problem(seq, parcel, .added, "rows after the recorded head (seq \(headSeq)) were not "
                               + "committed by markgate")
            }
            if let problem = visit(row) { return [problem] }
            chain.rows += 1
            chain.lastSeq = seq
            chain.headHash = storedHash
            expectedSeq = seq + 1
            prevHash = storedHash
            prevParcel = parcel
        }
        if !hasHead {
            if chain.rows > 0 {
                return problem(nil, nil, .head, "audit_head has no row for \(table), which holds \(chain.rows) rows")
            }
            return []
        }
        if chain.lastSeq < headSeq {
            let missing = chain.lastSeq + 1 == headSeq ? "seq \(headSeq) is"
                : "seqs \(chain.lastSeq + 1)–\(headSeq) are"
            return problem(chain.lastSeq + 1, nil, .removed, "\(missing) missing: the chain ends at seq "
                           + "\(chain.lastSeq) but its recorded head is seq \(headSeq)")
        }
        if chain.lastSeq > headSeq {
            return problem(headSeq + 1, nil, .added, "rows after the recorded head (seq \(headSeq)) were not "
                           + "committed by markgate")
        }
        if chain.headHash != headHash {
            return problem(headSeq, prevParcel, .head, "the recorded head hash \(headHash) is not the row_hash of "
                           + "seq \(headSeq)")
        }
        return []
    }

    /// `sources` says how many rows of each source there are (`rows`: the next ordinal due, as walked).
    private static func checkSources(_ db: Database, rows next: [String: Int64]) throws -> AuditReport.Problem? {
        var listed: [String: (records: Int64, last: Int64)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT source_id, records, last_ordinal FROM sources") {
            listed[row[0]] = (row[1], row[2])
        }
        for (source, count) in next.sorted(by: { $0.key < $1.key }) {
            guard let entry = listed.removeValue(forKey: source), entry.records == count, entry.last == count - 1 else {
                return AuditReport.Problem(table: "sources", seq: nil, parcel: nil, kind: .head,
                                           detail: "\(source) has \(count) rows, which `sources` does not say")
            }
        }
        if let (source, _) = listed.first {
            return AuditReport.Problem(table: "sources", seq: nil, parcel: nil, kind: .head,
                                       detail: "`sources` lists \(source), of which no row is held")
        }
        return nil
    }

    /// Each review names a decision of its own parcel.
    private static func checkReferences(_ db: Database) throws -> AuditReport.Problem? {
        let row = try Row.fetchOne(db, sql: """
            SELECT r.seq, r.parcel, r.decision_seq, d.parcel FROM reviews r LEFT JOIN decisions d
            ON d.seq = r.decision_seq WHERE d.seq IS NULL OR d.parcel IS NOT r.parcel ORDER BY r.seq LIMIT 1
            """)
        guard let row else { return nil }
        let decisionParcel: String? = row[3]
        let detail = decisionParcel == nil ? "it names decision seq \(row[2] as Int64), which is not in the case book"
            : "it names decision seq \(row[2] as Int64), which is of parcel \(decisionParcel!)"
        return AuditReport.Problem(table: "reviews", seq: row[0], parcel: row[1], kind: .reference, detail: detail)
    }
}
