import Dispatch
import MarkgateCore

/// Screens manifest records on several threads and hands back outcomes in input order.
///
/// Records are read a batch at a time on the calling thread; the batch's parcels are screened by
/// `workers` threads into slots of their own, then every outcome of the batch is emitted in order before
/// the next batch is read. A batch of 1 gives a decision as soon as its parcel is read (for streams).
public struct ScreeningPipeline: Sendable {
    /// What the pipeline yields for each input record.
    public enum Outcome: Sendable {
        case decision(Decision, items: Int)
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

    /// Screens every record of `records`, calling `emit` in input order; stops early when `emit` returns false.
    public func run(_ records: some Sequence<ManifestRecord>, emit: (Outcome) -> Bool) {
        var batch: [ManifestRecord] = []
        batch.reserveCapacity(batchSize)
        for record in records {
            batch.append(record)
            if batch.count == batchSize {
                guard flush(batch, emit: emit) else { return }
                batch.removeAll(keepingCapacity: true)
            }
        }
        _ = flush(batch, emit: emit)
    }

    /// Screens one batch in parallel and emits its outcomes in order; false when `emit` asked to stop.
    private func flush(_ batch: [ManifestRecord], emit: (Outcome) -> Bool) -> Bool {
        guard !batch.isEmpty else { return true }
        let results = UnsafeMutableBufferPointer<Outcome?>.allocate(capacity: batch.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slots = Slots(base: results.baseAddress!)
        let screener = self.screener
        let lanes = min(workers, batch.count)
        let work: @Sendable (Int) -> Void = { lane in
            for index in stride(from: lane, to: batch.count, by: lanes) {
                switch batch[index] {
                case .parcel(let parcel, _):
                    slots.base[index] = .decision(screener.screen(parcel), items: parcel.items.count)
                case .error(let error):
                    slots.base[index] = .error(error)
                }
            }
        }
        if lanes == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: lanes, execute: work) }
        for outcome in results {
            guard let outcome, emit(outcome) else { return false }
        }
        return true
    }

    /// Each worker writes only its own indices, so sharing the buffer is safe.
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Outcome?>
    }
}
