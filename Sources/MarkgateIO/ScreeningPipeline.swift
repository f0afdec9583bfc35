import Dispatch
import MarkgateCore

/// Screens manifest records on several threads and hands back outcomes in input order.
///
/// The calling thread reads records into batches and hands each to a worker, up to `workers` batches
/// screened at once and twice as many read ahead; while they are screened it reads the next batches, and it
/// emits finished batches in input order as soon as they are done. Workers also render each outcome (its output
/// line, into one array of bytes a batch), so the calling thread only reads and writes. With a batch size of 1
/// (streams), each record is screened on the calling thread as soon as it is read and emitted at once.
public struct ScreeningPipeline: Sendable {
    /// What the pipeline yields for each input record.
    public enum Outcome: Sendable {
        case decision(Decision, items: Int)
        case error(RecordError)

        /// What a caller that writes the rendered line needs of it besides.
        public var summary: Summary {
            switch self {
            case .decision(let decision, let items):
                .decision(decision.decision, items: items, suppressed: decision.suppressed.count)
            case .error(let error): .error(error)
            }
        }
    }

    /// A screened record as the calling thread sees it when the decision stays on the worker that made it: its
    /// verdict, item count and ruled-out hits, or its error record.
    ///
    /// Handing each decision (a dozen heap objects) to the calling thread, to be freed there, cost 10–20% of the
    /// pipeline's throughput (`Benchmarks/results/2026-11-21-session4.txt` §8).
    public enum Summary: Sendable {
        case decision(Verdict, items: Int, suppressed: Int)
        case error(RecordError)
    }

    public let screener: Screener
    public let batchSize: Int
    public let workers: Int

    public init(screener: Screener, batchSize: Int = 1024, workers: Int = 2) {
        self.screener = screener
        self.batchSize = max(1, batchSize)
        self.workers = max(1, workers)
    }

    /// Screens every record of `records`, calling `emit` with each whole outcome in input order; stops early when
    /// `emit` returns false.
    public func run(_ records: some Sequence<ManifestRecord>, emit: (Outcome) -> Bool) {
        let screener = self.screener
        map(records, { record in Self.screen(record, with: screener) }, emit: emit)
    }

    /// Screens every record of `records` and renders each outcome on the worker that screened it, then calls
    /// `emit` with its `Summary` and its rendering in input order (the decision itself is left on the worker);
    /// stops early (after the batches under way finish) when `emit` returns false.
    ///
    /// `render` appends an outcome's line to the bytes of its batch (all of a batch's lines in one array, so that
    /// a line costs no allocation of its own on the worker, nor a free on this thread); `emit` gets the bytes it
    /// appended, empty when it appended none (`--only-flagged` leaving out a clear decision), valid only during
    /// the call.
    public func run(_ records: some Sequence<ManifestRecord>,
                    renderInto render: @escaping @Sendable (Outcome, inout [UInt8]) -> Void,
                    emit: (Summary, ArraySlice<UInt8>) -> Bool) {
        let screener = self.screener
        mapBatches(records, { batch in
            var rendered = RenderedBatch()
            rendered.bytes.reserveCapacity(batch.count * Self.expectedLineBytes)
            rendered.lines.reserveCapacity(batch.count)
            for record in batch {
                let outcome = Self.screen(record, with: screener)
                let start = rendered.bytes.count
                render(outcome, &rendered.bytes)
                rendered.lines.append((outcome.summary, start..<rendered.bytes.count))
            }
            return rendered
        }, emit: { rendered in
            for (summary, range) in rendered.lines {
                guard emit(summary, rendered.bytes[range]) else { return false }
            }
            return true
        })
    }

    /// About what a rendered decision line takes (a clear one ~200 bytes, a flagged one ~700), to size a batch's
    /// bytes ahead.
    static let expectedLineBytes = 320

    /// A batch's rendered lines: every line's bytes back to back, and each record's summary and range.
    private struct RenderedBatch: Sendable {
        var bytes: [UInt8] = []
        var lines: [(Summary, Range<Int>)] = []
    }

    /// A record's outcome: its decision, or its error record.
    public static func screen(_ record: ManifestRecord, with screener: Screener) -> Outcome {
        switch record {
        case .parcel(let parcel, _): .decision(screener.screen(parcel), items: parcel.items.count)
        case .error(let error): .error(error)
        }
    }

    /// The general form: `transform` runs on the workers, one record at a time (e.g. screening a parcel
    /// twice, under two sets of rules), and `emit` gets the results in input order.
    public func map<Result: Sendable>(_ records: some Sequence<ManifestRecord>,
                                      _ process: @escaping @Sendable (ManifestRecord) -> Result,
                                      emit: (Result) -> Bool) {
        mapBatches(records, { batch in batch.map(process) }, emit: { results in
            for result in results {
                guard emit(result) else { return false }
            }
            return true
        })
    }

    /// `map` a batch at a time: `process` runs on a worker for each batch of up to `batchSize` records, and
    /// `emit` gets each batch's result in input order; stops when it returns false.
    func mapBatches<Result: Sendable>(_ records: some Sequence<ManifestRecord>,
                                      _ process: @escaping @Sendable ([ManifestRecord]) -> Result,
                                      emit: (Result) -> Bool) {
        if batchSize == 1 {
            for record in records {
                guard emit(process([record])) else { return }
            }
            return
        }

        var pending: [Batch<Result>] = []       // submitted, not yet emitted, in input order
        var stopped = false
        /// Emits the finished batches at the head, in order; with `waitingForFirst`, waits for the first one.
        func drain(waitingForFirst: Bool) {
            var mustWait = waitingForFirst
            while let head = pending.first, !stopped {
                if mustWait {
                    head.done.wait()
                    mustWait = false
                } else if head.done.wait(timeout: .now()) != .success {
                    return
                }
                pending.removeFirst()
                if let result = head.result, !emit(result) { stopped = true }
            }
        }
        // Up to `workers` batches are screened at once; twice as many more may wait, read ahead, so that a
        // worker finishing a batch finds the next one ready instead of idling while this thread reads it.
        let running = DispatchSemaphore(value: workers)
        let readAhead = workers * 3
        var records = records.makeIterator()
        while !stopped {
            var batch: [ManifestRecord] = []
            batch.reserveCapacity(batchSize)
            while batch.count < batchSize, let record = records.next() { batch.append(record) }
            if batch.isEmpty { break }
            drain(waitingForFirst: false)
            if pending.count >= readAhead { drain(waitingForFirst: true) }
            if stopped { break }
            let submitted = Batch<Result>(records: batch)
            pending.append(submitted)
            DispatchQueue.global().async {
                running.wait()
                submitted.result = process(submitted.records)
                running.signal()
                submitted.done.signal()
            }
        }
        while !pending.isEmpty && !stopped { drain(waitingForFirst: true) }
        for batch in pending { batch.done.wait() }   // let work under way finish before returning
    }

    /// A batch handed to a worker: its records, then its result once `done` is signalled.
    private final class Batch<Result: Sendable>: @unchecked Sendable {
        let records: [ManifestRecord]
        /// Written by the worker before it signals `done`; read by the calling thread only after.
        var result: Result?
        let done = DispatchSemaphore(value: 0)

        init(records: [ManifestRecord]) {
            self.records = records
        }
    }
}
