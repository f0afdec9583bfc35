import Foundation
import GRDB
import Testing
@testable import MarkgateStore

/// A change to one column of one row: the SQL expression giving the column its new value.
struct ColumnTamper: CustomTestStringConvertible, Sendable {
    let table: String
    let column: String
    let newValue: String
    let seq: Int64
    /// Whether the report must name `seq` (a changed seq is named where the gap shows instead).
    var namesSeq: Bool { column != "seq" }
    var testDescription: String { "\(table).\(column) at seq \(seq)" }
}

/// Every column of `decisions` (rows 1, 5 and 9: the first, a middle and the last) and of `reviews` (1, 3, 5).
let columnTampers: [ColumnTamper] = {
    let decisionColumns: [(String, String)] = [
        ("seq", "seq + 1000"), ("run_id", "run_id + 1"), ("parcel", "coalesce(parcel, '') || 'x'"),
        ("source", "source || 'x'"), ("source_id", "source_id || 'x'"), ("ordinal", "ordinal + 1000"),
        ("kind", "'clear'"), ("score", "coalesce(score, 0) + 0.25"), ("decision_json", "decision_json || ' '"),
        ("parcel_json", "coalesce(parcel_json, '{}') || ' '"), ("recorded", "'2020-01-01T00:00:00.000Z'"),
        ("prev_hash", "substr(prev_hash, 2) || substr(prev_hash, 1, 1) || 'f'"),
        ("row_hash", "substr(row_hash, 2) || substr(row_hash, 1, 1) || 'f'"),
    ]
    let reviewColumns: [(String, String)] = [
        ("seq", "seq + 1000"), ("parcel", "parcel || 'x'"), ("decision_seq", "decision_seq + 1"),
        ("verdict", "CASE verdict WHEN 'confirmed' THEN 'false-alarm' ELSE 'confirmed' END"),
        ("note", "note || '!'"), ("reviewer", "'someone else'"), ("recorded", "'2020-01-01T00:00:00.000Z'"),
        ("prev_hash", "substr(prev_hash, 2) || 'f'"), ("row_hash", "substr(row_hash, 2) || 'f'"),
    ]
    var cases: [ColumnTamper] = []
    for (column, value) in decisionColumns {
        for seq: Int64 in [1, 5, 9] {
            cases.append(ColumnTamper(table: "decisions", column: column, newValue: value, seq: seq))
        }
    }
    for (column, value) in reviewColumns {
        for seq: Int64 in [1, 3, 5] {
            cases.append(ColumnTamper(table: "reviews", column: column, newValue: value, seq: seq))
        }
    }
    return cases
}()

@Test func intactBookVerifiesClean() throws {
    let report = try makeTestBook().verify()
    #expect(report.isIntact, "\(report)")
    #expect(report.decisions.rows == 9)
    #expect(report.reviews.rows == 5)
    #expect(report.texts == 2)
    #expect(report.description.hasPrefix("intact: decisions 9 (head seq 9"))
}

@Test(arguments: columnTampers)
func alteringAnyColumnIsDetected(_ tamper: ColumnTamper) throws {
    let book = try makeTestBook()
    try book.tamper("UPDATE \(tamper.table) SET \(tamper.column) = \(tamper.newValue) WHERE seq = ?",
                    arguments: [tamper.seq])
    let report = try book.verify()
    let problem = try #require(report.problems.first, "\(tamper.testDescription) went unnoticed")
    #expect(problem.table == tamper.table)
    if tamper.namesSeq {
        #expect(problem.seq == tamper.seq, "\(problem)")
        #expect(problem.kind == .altered, "\(problem)")
    }
    #expect(report.description.hasPrefix("tampered: \(tamper.table) seq "))
}

/// A row removed: the first, a middle one, the last (seen through the recorded head).
struct RemovalCase: CustomTestStringConvertible, Sendable {
    let table: String
    let seq: Int64
    let reportedSeq: Int64
    var testDescription: String { "\(table) seq \(seq)" }
}

@Test(arguments: [
    RemovalCase(table: "decisions", seq: 1, reportedSeq: 2), RemovalCase(table: "decisions", seq: 5, reportedSeq: 6),
    RemovalCase(table: "decisions", seq: 9, reportedSeq: 9), RemovalCase(table: "reviews", seq: 1, reportedSeq: 2),
    RemovalCase(table: "reviews", seq: 3, reportedSeq: 4), RemovalCase(table: "reviews", seq: 5, reportedSeq: 5),
])
func removingARowIsDetected(_ removal: RemovalCase) throws {
    let book = try makeTestBook()
    try book.tamper("DELETE FROM \(removal.table) WHERE seq = ?", arguments: [removal.seq])
    let problem = try #require(try book.verify().problems.first)
    #expect(problem.table == removal.table)
    #expect(problem.kind == .removed, "\(problem)")
    #expect(problem.seq == removal.reportedSeq, "\(problem)")
    #expect(problem.detail.contains("seq \(removal.seq) is missing"), "\(problem)")
}

@Test func removingTheLastRowsIsDetectedThroughTheHead() throws {
    let book = try makeTestBook()
    try book.tamper("DELETE FROM decisions WHERE seq >= 7")
    let problem = try #require(try book.verify().problems.first)
    #expect(problem.kind == .removed)
    #expect(problem.detail.contains("seqs 7–9 are missing"), "\(problem)")
}

/// Two rows' places exchanged, every column but the seq moving with the row.
@Test(arguments: [(Int64(4), Int64(5)), (1, 9), (2, 7)])
func swappingTwoRowsIsDetected(_ pair: (Int64, Int64)) throws {
    let (a, b) = pair
    for table in ["decisions", "reviews"] where table == "decisions" || b <= 5 {
        let book = try makeTestBook()
        try book.tamper("UPDATE \(table) SET seq = -seq WHERE seq IN (\(a), \(b))")
        try book.tamper("UPDATE \(table) SET seq = CASE seq WHEN -\(a) THEN \(b) ELSE \(a) END WHERE seq < 0")
        let problem = try #require(try book.verify().problems.first, "\(table) \(a)↔\(b)")
        #expect(problem.table == table)
        #expect(problem.seq == a, "\(problem)")
        #expect(problem.kind == .reordered, "\(problem)")
    }
}

@Test func aForgedRowAfterTheHeadIsDetected() throws {
    let book = try makeTestBook()
    let head = try book.decisionsHead()
    // A well-formed row, hashed as markgate would, that markgate never committed.
    let entry = DecisionEntry(parcel: "FORGED", kind: "clear", score: 0, decisionJSON: "{}", parcelJSON: nil,
                              recorded: DecisionEntry.now())
    let hash = ChainHasher.decisionRow(seq: head.seq + 1, prevHash: head.hash, runID: 1, source: "a.csv",
                                       sourceID: "sha256:a", ordinal: 99, content: entry.content)
    try book.tamper("""
        INSERT INTO decisions (seq, run_id, parcel, source, source_id, ordinal, kind, score, decision_json,
                               parcel_json, recorded, prev_hash, row_hash)
        VALUES (?, 1, 'FORGED', 'a.csv', 'sha256:a', 99, 'clear', 0, '{}', NULL, ?, ?, ?)
        """, arguments: [head.seq + 1, entry.recorded, head.hash, hash])
    let problem = try #require(try book.verify().problems.first)
    #expect(problem.kind == .added, "\(problem)")
    #expect(problem.seq == head.seq + 1)
}

@Test func aForgedRowInTheMiddleIsDetected() throws {
    let book = try makeTestBook()
    // Make room after seq 4, then insert a row chained to seq 4.
    try book.tamper("UPDATE decisions SET seq = -(seq + 1) WHERE seq > 4")
    try book.tamper("UPDATE decisions SET seq = -seq WHERE seq < 0")
    try book.tamper("""
        INSERT INTO decisions (seq, run_id, parcel, source, source_id, ordinal, kind, score, decision_json,
                               parcel_json, recorded, prev_hash, row_hash)
        SELECT 5, 1, 'FORGED', 'a.csv', 'sha256:a', 99, 'clear', 0, '{}', NULL, recorded, row_hash, row_hash
        FROM decisions WHERE seq = 4
        """)
    let problem = try #require(try book.verify().problems.first)
    #expect(problem.table == "decisions")
    #expect(problem.seq == 5, "\(problem)")
}

@Test func aChangedTextOrHeadIsDetected() throws {
    let book = try makeTestBook()
    try book.tamper("UPDATE texts SET content = X'00' WHERE kind = 'rules'")
    #expect(try book.verify().problems.first?.table == "texts")

    let other = try makeTestBook()
    try other.tamper("UPDATE audit_head SET row_hash = ? WHERE chain = 'reviews'", arguments: [ChainHasher.genesis])
    let problem = try #require(try other.verify().problems.first)
    #expect(problem.table == "reviews")
    #expect(problem.kind == .head)
}

@Test(arguments: ["DELETE FROM sources WHERE source_id = 'sha256:b'", "UPDATE sources SET records = records - 1",
                   "UPDATE sources SET last_ordinal = 2 WHERE source_id = 'sha256:a'",
                   "INSERT INTO sources VALUES ('sha256:c', 1, 0)"])
func aChangedSourcesTableIsDetected(_ sql: String) throws {
    let book = try makeTestBook()
    try book.tamper(sql)
    let problem = try #require(try book.verify().problems.first)
    #expect(problem.table == "sources", "\(problem)")
}

@Test func theTriggersRefuseUpdatesAndDeletes() throws {
    let book = try makeTestBook()
    #expect(throws: (any Error).self) {
        try book.writer.write { db in try db.execute(sql: "UPDATE decisions SET kind = 'clear' WHERE seq = 2") }
    }
    #expect(throws: (any Error).self) {
        try book.writer.write { db in try db.execute(sql: "DELETE FROM reviews WHERE seq = 1") }
    }
    #expect(try book.verify().isIntact)
}

/// Regression (the allocation-free insert reads the chain's head into a 64-byte buffer): a head that is not a
/// SHA-256 hex digest is refused with an error, recording nothing, instead of being bound as it lies in memory.
@Test(arguments: ["abc", String(repeating: "f", count: 65)])
func recordingAfterADamagedHeadFailsCleanly(_ head: String) throws {
    let book = try makeTestBook()
    let before = try book.decisionsHead()
    try book.tamper("UPDATE audit_head SET row_hash = ? WHERE chain = 'decisions'", arguments: [head])
    let entry = DecisionEntry(parcel: "P", kind: "clear", score: 0, decisionJSON: "{}", parcelJSON: nil, recorded: "t")
    #expect(throws: CaseBookError.self) {
        try book.record(DecisionBatch(runID: 1, source: "n.csv", sourceID: "sha256:n", firstOrdinal: 0,
                                      entries: [entry]))
    }
    #expect(try book.decisionsHead().seq == before.seq)
}
