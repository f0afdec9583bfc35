import Foundation
import GRDB
@testable import MarkgateStore
import MarkgateTestSupport
import Testing

/// A generated CSV manifest: `parcels` one-item parcels, some naming a mark, every 997th with an unreadable price
/// (an error record in its place); returns its text and the parcel ids in order.
private func generatedManifest(parcels: Int, seed: UInt64) -> (text: String, ids: [String]) {
    var random = SplitMix64(seed: seed)
    let goods = ["cotton socks", "leather wallet", "running shoes", "phone case", "NIKE running shoes",
                 "耐克 运动鞋",
                 "plain t-shirt", "ROLEX watch", "wool scarf", "water bottle", "GUCCI belt", "ceramic mug"]
    var text = "parcel_id,line_no,description,hs_code,unit_price,currency,consignor\n"
    var ids: [String] = []
    for index in 0..<parcels {
        let id = "K\(100_000 + index)"
        ids.append(id)
        let description = goods[Int(random.next() % UInt64(goods.count))]
        let price = index % 997 == 996 ? "abc" : String(1 + random.next() % 90)
        text += "\(id),1,\(description) \(index),640411,\(price),USD,Shop \(random.next() % 40)\n"
    }
    return (text, ids)
}

/// Runs the built `markgate` in the package root; returns its exit status and standard error.
private func markgate(_ arguments: [String], stdout: String) throws -> (status: Int32, err: String) {
    let process = Process()
    process.executableURL = builtMarkgate
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    _ = FileManager.default.createFile(atPath: stdout, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
    let stderr = Pipe()
    process.standardError = stderr
    try process.run()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: err, as: UTF8.self))
}

/// `(ordinal, parcel, decision_json)` of every decision row, in seq order.
private func storedRows(_ book: CaseBook) throws -> [(ordinal: Int64, parcel: String?, json: String)] {
    try book.writer.read { db in
        try Row.fetchAll(db, sql: "SELECT ordinal, parcel, decision_json FROM decisions ORDER BY seq").map {
            ($0[0], $0[1], $0[2])
        }
    }
}

/// Issue 7's crash test: `screen --db` killed with SIGKILL after N lines have come out, then verify and resume.
@Test func aScreenKilledMidRunLeavesABookThatVerifiesAndResumes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-crash-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let total = 20_000
    let (text, ids) = generatedManifest(parcels: total, seed: 7)
    let manifest = folder.appendingPathComponent("manifest.csv").path
    try text.write(toFile: manifest, atomically: true, encoding: .utf8)
    let db = folder.appendingPathComponent("book.db").path

    // Screen, read standard output until 1,000 lines have arrived, then SIGKILL. The child cannot run far ahead:
    // it writes a batch's lines only after committing it, and blocks once the pipe is full.
    let process = Process()
    process.executableURL = builtMarkgate
    process.arguments = ["screen", manifest, "--db", db]
    process.currentDirectoryURL = packageRoot
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    var received: [UInt8] = []
    var newlines = 0
    while newlines < 1_000 {
        let chunk = stdout.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        received += chunk
        newlines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(newlines >= 1_000)
    let lines = String(decoding: received, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast().map(String.init)   // the last piece is a partial line (or empty)

    // The database opens, verifies, and holds every line that was written out, in order.
    let book = try CaseBook(existing: db)
    let report = try book.verify()
    #expect(report.isIntact, "\(report)")
    let afterCrash = try storedRows(book)
    #expect(afterCrash.count >= lines.count)
    #expect(afterCrash.count < total, "the child finished before it was killed")
    #expect(afterCrash.prefix(lines.count).map(\.json) == lines)

    // Resume: only the rest is screened and written; one row per input record, in order, no duplicates.
    let out = folder.appendingPathComponent("resumed.jsonl").path
    let resumed = try markgate(["screen", manifest, "--db", db, "--resume"], stdout: out)
    #expect(resumed.status == 1, "\(resumed.err)")   // the manifest has unreadable records
    #expect(resumed.err.contains("resuming \(manifest) after its first \(afterCrash.count) records"))
    let rows = try storedRows(book)
    #expect(rows.count == total)
    #expect(rows.map(\.ordinal) == (0..<Int64(total)).map { $0 })
    #expect(rows.map { $0.parcel ?? "-" } == ids)
    #expect(Set(rows.map { $0.parcel ?? "-" }).count == total)
    let resumedLines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(resumedLines == rows.dropFirst(afterCrash.count).map(\.json))
    #expect(try book.verify().isIntact)

    // A third run without --resume is refused; with it, there is nothing left to do.
    let again = try markgate(["screen", manifest, "--db", db], stdout: out)
    #expect(again.status == 2)
    #expect(again.err.contains("already in the case book (\(total) records)"))
    let nothing = try markgate(["screen", manifest, "--db", db, "--resume"], stdout: out)
    #expect(nothing.status == 0)
    #expect(try storedRows(book).count == total)
}

@Test func auditVerifyExitStatuses() throws {
    let book = try makeTestBook()
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-audit-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let intact = try markgate(["audit", "verify", "--db", book.path], stdout: out)
    #expect(intact.status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("intact: decisions 9"))
    try book.tamper("UPDATE decisions SET parcel = 'P55' WHERE seq = 5")
    let tampered = try markgate(["audit", "verify", "--db", book.path], stdout: out)
    #expect(tampered.status == 1)
    #expect(try String(contentsOfFile: out, encoding: .utf8)
        .hasPrefix("tampered: decisions seq 5 (parcel P55): altered: its columns do not hash to its row_hash"))
    let missing = try markgate(["audit", "verify", "--db", "/nonexistent/book.db"], stdout: out)
    #expect(missing.status == 2)
    #expect(missing.err.contains("cannot open the case book /nonexistent/book.db: no such file"))
}

/// Screen with --db, review, backtest against the verdicts, promote a false alarm, screen again: through the
/// built `markgate`, as an analyst would.
@Test func reviewBacktestAndPromoteThroughTheCommandLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-review-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("book.db").path
    let rules = folder.appendingPathComponent("rules.yaml").path
    try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("Rules/rules.yaml").path,
                                     toPath: rules)
    let out = folder.appendingPathComponent("out.txt").path
    func text() throws -> String { try String(contentsOfFile: out, encoding: .utf8) }

    let screened = try markgate(["screen", "SampleData/manifest.csv", "--db", db], stdout: out)
    #expect(screened.status == 1)   // the sample manifest has an unreadable row, recorded as an error row
    #expect(screened.err.contains("10 records recorded in run 1; chain head seq 10"))
    #expect(try text().contains("\"parcel\":\"SP0002\",\"decision\":\"inspect\""))

    #expect(try markgate(["review", "list", "--db", db, "--unreviewed"], stdout: out).status == 0)
    #expect(try text().contains("SP0002"))
    let decided = try markgate(["review", "decide", "SP0002", "false-alarm", "--note", "authorised reseller",
                                "--reviewer", "ana", "--db", db], stdout: out)
    #expect(decided.status == 0)
    #expect(try text().hasPrefix("verdict seq 1: SP0002 false-alarm (decision seq 2) by ana"))
    #expect(try markgate(["review", "decide", "SP0003", "confirmed", "--note", "fake", "--db", db],
                         stdout: out).status == 0)
    let unknown = try markgate(["review", "decide", "NOPE", "confirmed", "--note", "x", "--db", db], stdout: out)
    #expect(unknown.status == 2)
    #expect(unknown.err.contains("no decision for parcel NOPE in the case book"))
    #expect(try markgate(["review", "promote", "SP0003", "--rules", rules, "--db", db], stdout: out).status == 2)

    // The verdicts as labels: the shipped rules flag both, so one catch and one false alarm.
    #expect(try markgate(["rules", "backtest", "--db", db, "--rules", rules], stdout: out).status == 0)
    #expect(try text().contains("2 parcels screened"))
    #expect(try text().contains("caught 1, missed 0 of which wrong mark 0, false alarms 1, quiet 0"))

    // Promoted, the false alarm is allowlisted: the backtest sees it quiet, and screening clears it.
    #expect(try markgate(["review", "promote", "SP0002", "--rules", rules, "--db", db], stdout: out).status == 0)
    #expect(try text().contains("allowlisted Putian Sample Trading Co., Ltd. × NIKE"))
    #expect(try markgate(["rules", "backtest", "--db", db, "--rules", rules], stdout: out).status == 0)
    #expect(try text().contains("false alarms 0, quiet 1"))
    #expect(try markgate(["screen", "SampleData/manifest.csv", "--rules", rules], stdout: out).status == 1)
    #expect(try text().contains("\"parcel\":\"SP0002\",\"decision\":\"clear\""))
    #expect(try text().contains("\"reason\":\"allowlisted\""))

    #expect(try markgate(["audit", "verify", "--db", db], stdout: out).status == 0)
    #expect(try text().hasPrefix("intact: decisions 10 (head seq 10"))
    let exported = folder.appendingPathComponent("export.jsonl").path
    #expect(try markgate(["audit", "export", "--db", db, "--from", "2", "--to", "4", "--out", exported],
                         stdout: out).status == 0)
    let lines = try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines.last?.hasPrefix("{\"signoff\":{\"chain\":\"decisions\",\"from\":2,\"to\":4,\"count\":3,") == true)
}
