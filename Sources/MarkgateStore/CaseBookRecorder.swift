import Dispatch

/// Records a stream of screened records of one source into a `CaseBook` in batch transactions, on a thread of
/// its own, and hands each batch's output lines on only once the batch is committed.
///
/// The screening loop calls `append` for each outcome in input order; every `batchSize` entries the batch goes
/// to the recorder's serial queue, which chains and commits it and then calls `committed` with the batch's
/// lines (nil for records not written out), in order. So a line is written only after its decision is in the
/// database: after a crash, the case book holds every decision that was written out. The screening loop waits
/// only when `pending` batches are already waiting to be committed (so a checkpoint's fsync on the recorder's
/// thread does not stall screening). Call `finish` at the end (it commits the rest and
/// waits); after a failed commit, nothing more is recorded or handed on and `failure` says why.
///
/// One recorder per source and thread of screening; the `CaseBook` behind it may be shared.
public final class CaseBookRecorder: @unchecked Sendable {
    private let book: CaseBook
    private let runID: Int64
    private let source: String
    private let sourceID: String
    private let batchSize: Int
    private let committed: @Sendable ([[UInt8]?]) -> Void
    private let queue = DispatchQueue(label: "markgate.casebook.recorder")
    private let slots: DispatchSemaphore

    // The calling thread's side.
    private var nextOrdinal: Int64
    private var entries: [DecisionEntry] = []
    private var lines: [[UInt8]?] = []

    // The queue's side, read by the calling thread after `queue.sync`.
    private var error: CaseBookError?
    private var failedFlag = false
    private let lock = DispatchSemaphore(value: 1)

    /// Entries a commit holds when a file is screened: 2,048. Each commit rewrites the last, partly filled pages of
    /// the table and its index and the pages above them into the WAL; against batches of 512, this saved about
    /// 0.3–0.4 µs of CPU a row in `Benchmarks/c/sqlite-insert-floor.c` (BATCH=2048, three alternating pairs).
    /// A stream commits every record (batch size 1), so each decision is written out as soon as it is stored.
    public static let fileBatchSize = 2_048

    /// Records the entries of `source` (identified across runs by `sourceID`) for run `runID`, numbering them
    /// from `firstOrdinal`; `committed` gets each batch's lines after its commit, on the recorder's queue.
    /// At most `pending` batches wait for their commit.
    public init(book: CaseBook, runID: Int64, source: String, sourceID: String, firstOrdinal: Int64 = 0,
                batchSize: Int = CaseBookRecorder.fileBatchSize, pending: Int = 4, committed: @escaping @Sendable ([[UInt8]?]) -> Void) {
        slots = DispatchSemaphore(value: max(1, pending))
        self.book = book
        self.runID = runID
        self.source = source
        self.sourceID = sourceID
        self.batchSize = max(1, batchSize)
        self.committed = committed
        nextOrdinal = firstOrdinal
        entries.reserveCapacity(self.batchSize)
        lines.reserveCapacity(self.batchSize)
    }

    /// Whether a commit failed (the screening loop should stop).
    public var failed: Bool {
        lock.wait()
        defer { lock.signal() }
        return failedFlag
    }

    /// Adds one record's entry and its output line (nil when it is not written out), in input order.
    public func append(_ entry: DecisionEntry, line: [UInt8]?) {
        entries.append(entry)
        lines.append(line)
        if entries.count >= batchSize { submit() }
    }

    /// Commits what is left, waits for every commit, and throws the first failure.
    public func finish() throws(CaseBookError) {
        submit()
        queue.sync {}
        lock.wait()
        let error = self.error
        lock.signal()
        if let error { throw error }
    }

    private func submit() {
        guard !entries.isEmpty else { return }
        let batch = DecisionBatch(runID: runID, source: source, sourceID: sourceID, firstOrdinal: nextOrdinal,
                                  entries: entries)
        let batchLines = lines
        nextOrdinal += Int64(entries.count)
        entries.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            lock.wait()
            let failedBefore = failedFlag
            lock.signal()
            guard !failedBefore else { return }
            do {
                try book.record(batch)
                committed(batchLines)
            } catch {
                lock.wait()
                self.error = (error as? CaseBookError) ?? .database(book.path, error)
                failedFlag = true
                lock.signal()
            }
        }
    }
}
