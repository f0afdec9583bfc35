import Dispatch
import Foundation
import MarkgateCore

/// Screens manifest records on several threads and hands back outcomes in input order.
///
/// `workers` threads, the calling thread and `workers - 1` pooled ones, each take the next batch of records from
/// the input (one thread at a time), screen it and render each outcome (its output line, into one array of bytes
/// a batch); the calling thread also emits finished batches in input order as soon as they are done
/// (`mapBatches`). With a batch size of 1 (streams), each record is screened on the calling thread as soon as it
/// is read and emitted at once.
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

    /// `map` a batch at a time: `process` runs for each batch of up to `batchSize` records, and `emit` gets each
    /// batch's result in input order; stops (after the batches under way finish) when it returns false.
    ///
    /// Every worker reads its own batches: the calling thread and `workers - 1` pooled threads each take the next
    /// batch from the input (one at a time, under a lock), process it, and hand its result over; the calling
    /// thread also emits, in order, whatever is ready. No thread only reads: a reading thread beside two workers on
    /// two cores took turns with them, evicting their tables, for 15–30% more CPU than the stages alone
    /// (`Benchmarks/results/2026-11-22-session10.txt`); now a batch's parcels are read, screened and freed on one
    /// thread. A pooled worker waits before taking a batch while `4 × workers` results wait to be emitted; the
    /// calling thread, which emits, never waits on a batch of its own.
    func mapBatches<Result: Sendable>(_ records: some Sequence<ManifestRecord>,
                                      _ process: @escaping @Sendable ([ManifestRecord]) -> Result,
                                      emit: (Result) -> Bool) {
        if batchSize == 1 {
            for record in records {
                guard emit(process([record])) else { return }
            }
            return
        }
        let input = SharedInput(records.makeIterator(), batchSize: batchSize)
        let results = Results<Result>(readAhead: 4 * workers)
        let pooled = DispatchGroup()
        for _ in 1..<workers {
            DispatchQueue.global().async(group: pooled) {
                while results.mayTakeBatch(), let (index, batch) = input.next() {
                    results.put(process(batch), at: index)
                }
            }
        }
        // The calling thread: emits what is ready, then takes a batch, or waits for the head while too many wait.
        var stopped = false
        work: while true {
            while let result = results.head(waiting: false) {
                guard emit(result) else {
                    stopped = true
                    break work
                }
            }
            if results.isFull {
                guard let result = results.head(waiting: true) else { break }
                guard emit(result) else {
                    stopped = true
                    break
                }
                continue
            }
            guard let (index, batch) = input.next() else { break }
            results.put(process(batch), at: index)
        }
        if !stopped {
            // The batches the pooled workers still hold, in order.
            while results.emitted < input.taken, let result = results.head(waiting: true) {
                guard emit(result) else { break }
            }
        }
        results.stop()
        input.stop()
        pooled.wait()   // let work under way finish before returning
    }

    /// The input, shared by the workers: each takes the next batch under a lock, numbered in input order.
    ///
    /// The iterator is kept behind a closure, so that the workers' closures capture no generic type.
    private final class SharedInput: @unchecked Sendable {
        private let nextRecord: () -> ManifestRecord?
        private let batchSize: Int
        private let lock = NSLock()
        private var count = 0
        private var exhausted = false

        init(_ records: some IteratorProtocol<ManifestRecord>, batchSize: Int) {
            var records = records
            nextRecord = { records.next() }
            self.batchSize = batchSize
        }

        /// Batches taken so far.
        var taken: Int { lock.withLock { count } }

        /// The next batch and its number, or nil once the input is exhausted or stopped.
        func next() -> (Int, [ManifestRecord])? {
            lock.withLock {
                guard !exhausted else { return nil }
                var batch: [ManifestRecord] = []
                batch.reserveCapacity(batchSize)
                while batch.count < batchSize, let record = nextRecord() { batch.append(record) }
                guard !batch.isEmpty else {
                    exhausted = true
                    return nil
                }
                count += 1
                return (count - 1, batch)
            }
        }

        func stop() {
            lock.withLock { exhausted = true }
        }
    }

    /// Results waiting to be emitted, by batch number, and how many have been.
    private final class Results<Result: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var waiting: [Int: Result] = [:]
        private var emittedCount = 0
        private var stopped = false
        private let readAhead: Int

        init(readAhead: Int) {
            self.readAhead = readAhead
        }

        /// Results emitted so far (`head` returned).
        var emitted: Int {
            condition.lock()
            defer { condition.unlock() }
            return emittedCount
        }

        /// Whether `readAhead` results wait to be emitted.
        var isFull: Bool {
            condition.lock()
            defer { condition.unlock() }
            return waiting.count >= readAhead
        }

        /// For a pooled worker, before it takes a batch: waits while `readAhead` results wait to be emitted;
        /// false once stopped.
        func mayTakeBatch() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while !stopped && waiting.count >= readAhead { condition.wait() }
            return !stopped
        }

        func put(_ result: Result, at index: Int) {
            condition.lock()
            waiting[index] = result
            condition.broadcast()
            condition.unlock()
        }

        /// The next result in order: once it is done (`waiting`), or if it is (otherwise nil); nil once stopped.
        func head(waiting wait: Bool) -> Result? {
            condition.lock()
            defer { condition.unlock() }
            while !stopped {
                if let result = waiting.removeValue(forKey: emittedCount) {
                    emittedCount += 1
                    condition.broadcast()
                    return result
                }
                guard wait else { return nil }
                condition.wait()
            }
            return nil
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
