import Foundation
import GRDB
import MarkgateCore
import MarkgateIO
@testable import MarkgateStore

/// A case book in a temporary file with 9 decision rows (three of them error records, seqs 3, 6 and 9) from
/// two sources and 5 verdicts, for the tamper tables.
func makeTestBook() throws -> CaseBook {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-book-\(UUID()).db").path
    let book = try CaseBook(path: path)
    let run = try book.beginRun(CaseBook.RunInfo(
        sources: ["a.csv", "b.csv"], registerHash: ContentHash.text("register"), registerText: Array("register".utf8),
        rulesHash: ContentHash.text("rules"), rulesText: Array("rules".utf8), toolVersion: "markgate test"))
    var entries: [DecisionEntry] = []
    for index in 1...9 {
        if index % 3 == 0 {
            let error = RecordError(parcel: index == 3 ? nil : "P\(index)",
                                    location: SourceLocation(file: "a.csv", line: index + 1, column: 1),
                                    message: "unterminated quoted field")
            entries.append(DecisionEntry(error: error, line: Array(DecisionJSON.line(error).utf8)))
            continue
        }
        let parcel = Parcel(id: "P\(index)", consignor: "Shop \(index)",
                            items: [ParcelItem(line: 1, description: "NIKE shoes \(index)", hsCode: "640411",
                                               quantity: 2, unitPrice: 12.5, currency: "USD", origin: "CN")])
        let hit = Hit(mark: "NIKE", name: "NIKE", matched: "NIKE", line: 1, field: "description", start: 0, end: 4,
                      method: .exact)
        let decision = Decision(parcel: parcel.id, decision: index % 2 == 0 ? .inspect : .review,
                                score: 0.5 + Double(index) / 100, hits: [hit], suppressed: [],
                                reasons: [Reason(rule: "mark-exact", weight: 0.6, detail: "line 1 names NIKE")])
        entries.append(DecisionEntry(decision: decision, parcel: parcel, line: Array(DecisionJSON.line(decision).utf8)))
    }
    try book.record(DecisionBatch(runID: run, source: "a.csv", sourceID: "sha256:a", firstOrdinal: 0,
                                  entries: Array(entries[0..<5])))
    try book.record(DecisionBatch(runID: run, source: "b.csv", sourceID: "sha256:b", firstOrdinal: 0,
                                  entries: Array(entries[5...])))
    for (parcel, verdict) in [("P1", ReviewVerdict.confirmed), ("P2", .falseAlarm), ("P4", .confirmed),
                              ("P5", .falseAlarm), ("P1", .falseAlarm)] {
        try book.decide(parcel: parcel, verdict: verdict, note: "note on \(parcel)", reviewer: "tester")
    }
    return book
}

extension CaseBook {
    /// Runs `sql` as an attacker with write access would: with the append-only triggers dropped.
    func tamper(_ sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try writer.writeWithoutTransaction { db in
            for table in ["decisions", "reviews", "texts"] {
                for action in ["update", "delete"] {
                    try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_append_only_\(action)")
                }
            }
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    func count(_ table: String) throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }
}
