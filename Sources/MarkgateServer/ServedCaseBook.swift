import Dispatch
import MarkgateCore
import MarkgateIO
import MarkgateStore
import Synchronization

/// Records what the service screens in the case book (`markgate serve --db`) before the answer goes out.
///
/// One run of the service is one source of the book (`serve:run-<id>`): each request's records take the next
/// ordinals and go in as one batch, one transaction, committed before the response is written, so an answer a
/// client saw is always in the book. Commits are serialised (the lock keeps ordinals and commits in one order),
/// and a request's commit runs on the book's own queue while the request waits (`record(_:) async`), never on an
/// event loop: with `--db`, latency includes the commit. `/v1/check` (a seller's pre-check, not a screening) is
/// not recorded.
public final class ServedCaseBook: Sendable {
    public let book: CaseBook
    public let runID: Int64
    /// The source id the run's records are held under.
    public let sourceID: String
    private let nextOrdinal = Mutex<Int64>(0)
    private let queue = DispatchQueue(label: "markgate.serve.casebook")

    /// Starts a run in `book` for a service screening with `snapshot`'s register and rules.
    public init(book: CaseBook, run: CaseBook.RunInfo) throws(CaseBookError) {
        self.book = book
        runID = try book.beginRun(run)
        sourceID = "serve:run-\(runID)"
    }

    /// `record(_:)` on the book's own serial queue, awaited: a commit (and now and then a checkpoint's fsync)
    /// must not hold up an event loop's other connections.
    public func record(_ entries: [DecisionEntry]) async throws(CaseBookError) {
        let result: Result<Void, CaseBookError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(CaseBookError) in try self.record(entries) })
            }
        }
        try result.get()
    }

    /// Records `entries` (one request's records, in order) in one transaction; throws when they could not be
    /// kept, and the request must then fail rather than answer what was not recorded.
    public func record(_ entries: [DecisionEntry]) throws(CaseBookError) {
        guard !entries.isEmpty else { return }
        try nextOrdinal.withLock { (ordinal: inout Int64) throws(CaseBookError) in
            try book.record(DecisionBatch(runID: runID, source: "serve", sourceID: sourceID, firstOrdinal: ordinal,
                                          entries: entries))
            ordinal += Int64(entries.count)
        }
    }
}
