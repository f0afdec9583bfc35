import Foundation
import MarkgateCore
import MarkgateIO
import Testing
@testable import MarkgateStore

@Test func reviewsAreChainedAndNeverUpdated() throws {
    let book = try makeTestBook()
    let first = try book.decide(parcel: "P7", verdict: .confirmed, note: "fake", reviewer: "a")
    let second = try book.decide(parcel: "P7", verdict: .falseAlarm, note: "licensed after all", reviewer: "b")
    #expect(second.seq == first.seq + 1)
    #expect(second.prevHash == first.rowHash)
    #expect(first.decisionSeq == 7)
    let reviews = try book.reviews(parcel: "P7")
    #expect(reviews.map(\.verdict) == [.confirmed, .falseAlarm])
    #expect(try book.verdicts().first { $0.review.parcel == "P7" }?.review.verdict == .falseAlarm)
    #expect(try book.verify().isIntact)
}

@Test func aVerdictOnAnUnknownParcelIsRefused() throws {
    let book = try makeTestBook()
    #expect { try book.decide(parcel: "NOPE", verdict: .confirmed, note: "", reviewer: "a") } throws: { error in
        (error as? CaseBookError)?.isUnknownParcel == true
    }
    #expect(try book.count("reviews") == 5)
}

@Test func casesListLatestDecisionsWithTheirVerdicts() throws {
    let book = try makeTestBook()
    let cases = try book.cases(kinds: ["review", "inspect"])
    #expect(cases.map { $0.decision.parcel } == ["P1", "P2", "P4", "P5", "P7", "P8"])
    #expect(cases.first?.verdict?.verdict == .falseAlarm)   // P1's later verdict is in force
    #expect(cases.filter { $0.verdict == nil }.map { $0.decision.parcel } == ["P7", "P8"])
    #expect(try book.cases(kinds: ["error"]).map { $0.decision.parcel } == ["P6", "P9"])
}

@Test func theRecorderCommitsBeforeHandingLinesOnInOrder() throws {
    let book = try CaseBook()
    let run = try book.beginRun(CaseBook.RunInfo(sources: ["m"], registerHash: nil, rulesHash: nil,
                                                 toolVersion: "test"))
    let handed = LockedLines()
    let recorder = CaseBookRecorder(book: book, runID: run, source: "m", sourceID: "id", firstOrdinal: 0,
                                    batchSize: 3) { lines in
        // Every line handed on is already committed.
        let held = (try? book.sourceProgress(sourceID: "id").records) ?? -1
        handed.append(lines.compactMap { $0.map { String(decoding: $0, as: UTF8.self) } }, held: held)
    }
    for index in 0..<10 {
        let entry = DecisionEntry(parcel: "P\(index)", kind: "clear", score: 0, decisionJSON: "{\"n\":\(index)}",
                                  parcelJSON: nil, recorded: "t")
        recorder.append(entry, line: index == 4 ? nil : Array("line \(index)".utf8))
    }
    try recorder.finish()
    #expect(handed.lines == (0..<10).filter { $0 != 4 }.map { "line \($0)" })
    #expect(handed.heldAtHandOver == [3, 6, 9, 10])
    #expect(try book.sourceProgress(sourceID: "id").lastOrdinal == 9)
    #expect(try book.verify().isIntact)
}

@Test func aSourceRecordedTwiceIsRefusedWholeBatch() throws {
    let book = try CaseBook()
    let entry = DecisionEntry(parcel: "P", kind: "clear", score: 0, decisionJSON: "{}", parcelJSON: nil, recorded: "t")
    try book.record(DecisionBatch(runID: 1, source: "m", sourceID: "id", firstOrdinal: 0, entries: [entry, entry]))
    #expect(throws: CaseBookError.self) {
        try book.record(DecisionBatch(runID: 2, source: "m", sourceID: "id", firstOrdinal: 1, entries: [entry, entry]))
    }
    #expect(try book.sourceProgress(sourceID: "id").records == 2)
    #expect(try book.decisionsHead().seq == 2)
    #expect(try book.verify().isIntact)
}

@Test func anExportCarriesItsOwnChainProof() throws {
    let book = try makeTestBook()
    var lines: [String] = []
    let signOff = try book.export(from: 3, to: 7) { lines.append($0) }
    #expect(lines.count == 6)
    #expect(signOff.count == 5)
    var prev = signOff.firstPrevHash
    for line in lines.dropLast() {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        func text(_ key: String) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            if let string = value as? String { return string }
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
            return data.map { String(decoding: $0, as: UTF8.self) }
        }
        let recorded = try #require(try book.decision(seq: (object["seq"] as! NSNumber).int64Value))
        // Recompute the row hash from the exported columns alone.
        let content = ChainHasher.decisionContent(
            parcel: text("parcel"), kind: text("kind")!, score: text("score").flatMap(Double.init),
            decisionJSON: recorded.decisionJSON, parcelJSON: recorded.parcelJSON, recorded: text("recorded")!)
        #expect(line.contains(recorded.decisionJSON))
        let hash = ChainHasher.decisionRow(
            seq: (object["seq"] as! NSNumber).int64Value, prevHash: text("prev_hash")!,
            runID: (object["run_id"] as! NSNumber).int64Value, source: text("source")!,
            sourceID: text("source_id")!, ordinal: (object["ordinal"] as! NSNumber).int64Value, content: content)
        #expect(text("prev_hash") == prev)
        #expect(hash == text("row_hash"))
        prev = hash
    }
    #expect(prev == signOff.headHash)
    #expect(lines.last!.hasPrefix("{\"signoff\":{\"chain\":\"decisions\",\"from\":3,\"to\":7,\"count\":5,"))
    #expect(signOff.registers == [ContentHash.text("register")])
}

@Test func parcelDataReadsBackAsTheSameParcel() throws {
    let parcel = Parcel(id: "P \"1\"", consignor: "Shop, Ltd.", consignee: "me",
                        items: [ParcelItem(line: 1, description: "NIKE\tshoes 耐克", hsCode: "640411", quantity: 2,
                                           unitPrice: 19.9, currency: "USD", origin: "CN"),
                                ParcelItem(line: 2, description: "socks")])
    let decision = RecordedDecision(seq: 1, runID: 1, parcel: parcel.id, source: "m", ordinal: 0, kind: "clear",
                                    score: 0, decisionJSON: "{}", parcelJSON: ParcelJSON.line(parcel), recorded: "t")
    #expect(decision.parcelValue == parcel)
}

@Test func reviewedCasesBecomeLabels() throws {
    let book = try makeTestBook()
    let cases = ReviewedCases(try book.verdicts())
    #expect(cases.labels["P1"] == Backtest.Label(kind: .clear, family: "false-alarm"))
    #expect(cases.labels["P4"] == Backtest.Label(kind: .flag, mark: "NIKE", family: "confirmed"))
    #expect(cases.labels.count == 4)
    let parcels = JSONLinesManifestReader(bytes: cases.manifest, file: "book").compactMap { record -> String? in
        if case .parcel(let parcel, _) = record { return parcel.id }
        return nil
    }
    #expect(parcels == ["P2", "P4", "P5", "P1"])   // in the order of the verdicts in force
    // Replayed under the rules, scored by the core's backtest.
    let screener = Screener(register: Register(marks: [Mark(id: "NIKE", names: ["NIKE"])]))
    let decisions = JSONLinesManifestReader(bytes: cases.manifest, file: "book").compactMap { record -> Decision? in
        if case .parcel(let parcel, _) = record { return screener.screen(parcel) }
        return nil
    }
    let report = Backtest(decisions: decisions, labels: cases.labels, review: Rules.builtIn.review)
    #expect(report.truePositives == 1)
    #expect(report.falsePositives + report.trueNegatives == 3)
}

/// Locked storage for what the recorder's thread hands on.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var lines: [String] = []
    private(set) var heldAtHandOver: [Int] = []

    func append(_ more: [String], held: Int) {
        lock.lock()
        lines += more
        heldAtHandOver.append(held)
        lock.unlock()
    }
}
