import MarkgateCore
import Testing
@testable import MarkgateIO

/// Parcels and broken rows interleaved, so order and error records in place are both visible.
private let manifest = """
    parcel_id,line_no,description,hs_code,unit_price,currency
    P1,1,NIKE running shoes,640411,12.5,USD
    P2,1,plain cotton shirt,610910,3,USD
    P3,1,"unterminated
    P4,1,耐克 运动鞋,640411,80,USD
    P5,1,bad price,640411,abc,USD
    P6,1,ＮＩＫＥ cap,650500,5,USD
    """

private let register = Register(marks: [Mark(id: "NIKE", names: ["NIKE", "耐克"], classes: [25])])

private func outcomes(workers: Int, batchSize: Int) -> [String] {
    let reader = CSVManifestReader(bytes: Array(manifest.utf8), file: "m.csv")
    let pipeline = ScreeningPipeline(screener: Screener(register: register), batchSize: batchSize, workers: workers)
    var lines: [String] = []
    pipeline.run(reader) { outcome in
        switch outcome {
        case .decision(let decision, _): lines.append("\(decision.parcel) \(decision.decision.rawValue)")
        case .error(let error): lines.append("error \(error.parcel ?? "-")")
        }
        return true
    }
    return lines
}

@Test("Outcomes come in input order, error records in place, whatever the workers and batch size",
      arguments: [(1, 1), (2, 1), (2, 2), (2, 512), (4, 3)])
func pipelineKeepsOrder(workers: Int, batchSize: Int) {
    #expect(outcomes(workers: workers, batchSize: batchSize) == outcomes(workers: 1, batchSize: 1))
    #expect(outcomes(workers: workers, batchSize: batchSize).first == "P1 review")
    #expect(outcomes(workers: workers, batchSize: batchSize).count == 6)
}

@Test("Emit returning false stops the pipeline (fail-fast)")
func pipelineStops() {
    let reader = CSVManifestReader(bytes: Array(manifest.utf8), file: "m.csv")
    var seen = 0
    ScreeningPipeline(screener: Screener(register: register), batchSize: 2, workers: 2).run(reader) { outcome in
        seen += 1
        if case .error = outcome { return false }
        return true
    }
    #expect(seen == 3)
}

/// Lines rendered into a batch's bytes: each record's own bytes, in input order, whatever the workers and batch
/// size; a record that renders nothing (a clear decision left out) gets an empty line.
@Test("Rendered lines come in input order, each exactly the bytes its outcome appended",
      arguments: [(1, 1), (2, 2), (2, 512), (4, 3)])
func pipelineRendersIntoBatchBytes(workers: Int, batchSize: Int) {
    let reader = CSVManifestReader(bytes: Array(manifest.utf8), file: "m.csv")
    let pipeline = ScreeningPipeline(screener: Screener(register: register), batchSize: batchSize, workers: workers)
    var lines: [String] = []
    pipeline.run(reader, renderInto: { outcome, bytes in
        switch outcome {
        case .decision(let decision, _):
            guard decision.decision != .clear else { return }
            bytes.append(contentsOf: "\(decision.parcel) \(decision.decision.rawValue)".utf8)
        case .error(let error):
            bytes.append(contentsOf: "error \(error.parcel ?? "-")".utf8)
        }
    }, emit: { summary, line in
        let text = String(decoding: line, as: UTF8.self)
        switch summary {
        case .decision(let verdict, _, _): #expect((verdict == .clear) == line.isEmpty, "\(text)")
        case .error: #expect(text.hasPrefix("error"))
        }
        lines.append(text)
        return true
    })
    let expected = outcomes(workers: 1, batchSize: 1).map { $0.hasSuffix(" clear") ? "" : $0 }
    #expect(lines == expected)
    #expect(lines.contains("") && lines.contains("P1 review"))
}

/// Records numbered in order, for the pipeline's batching alone (`map` with a transform that only reads the id).
private func numberedRecords(_ count: Int) -> [ManifestRecord] {
    (0..<count).map { index in
        .parcel(Parcel(id: "P\(index)", items: [ParcelItem(line: 1, description: "x")]),
                source: SourceLocation(file: "n.csv", line: index + 2, column: 1))
    }
}

private func parcelID(_ record: ManifestRecord) -> String {
    if case .parcel(let parcel, _) = record { return parcel.id }
    return "error"
}

@Test("Many batches taken by every worker come back in input order, each once",
      arguments: [(1, 7), (2, 7), (2, 64), (3, 5), (4, 1), (4, 3), (2, 1_000)])
func pipelineKeepsOrderOverManyBatches(workers: Int, batchSize: Int) {
    let records = numberedRecords(3_000)
    var seen: [String] = []
    ScreeningPipeline(screener: Screener(register: register), batchSize: batchSize, workers: workers)
        .map(records, parcelID) { id in
            seen.append(id)
            return true
        }
    #expect(seen == records.map(parcelID))
}

@Test("A stop partway emits nothing more, whatever the workers", arguments: [1, 2, 4])
func pipelineStopsPartway(workers: Int) {
    var seen = 0
    ScreeningPipeline(screener: Screener(register: register), batchSize: 5, workers: workers)
        .map(numberedRecords(3_000), parcelID) { id in
            seen += 1
            return id != "P1234"
        }
    #expect(seen == 1_235)
}
