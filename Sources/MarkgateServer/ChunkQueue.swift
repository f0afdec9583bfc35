import Foundation

/// A bounded queue of body chunks from an async producer (the request body) to one blocking consumer (the
/// thread reading the manifest), so an upload is held at most `capacity` chunks at a time.
///
/// `push` suspends (without blocking a thread) while the queue is full; `pop` blocks its thread while it is
/// empty and returns nil once `finish` was called and everything was taken. `close` (the consumer gives up)
/// makes every later `push` drop its chunk, so a producer is never left waiting.
final class ChunkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var finished = false
    private var closed = false
    private var spaceWaiter: CheckedContinuation<Void, Never>?
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Appends a chunk, waiting while the queue is full; dropped after `close`.
    func push(_ chunk: [UInt8]) async {
        while true {
            let added: Bool = condition.withLock {
                if closed { return true }
                guard chunks.count - head < capacity else { return false }
                chunks.append(chunk)
                condition.signal()
                return true
            }
            if added { return }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                condition.lock()
                if closed || chunks.count - head < capacity {
                    condition.unlock()
                    continuation.resume()
                    return
                }
                spaceWaiter = continuation
                condition.unlock()
            }
        }
    }

    /// No more chunks will come.
    func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// The consumer stops taking chunks: waiting and later pushes return at once.
    func close() {
        let waiter: CheckedContinuation<Void, Never>? = condition.withLock {
            closed = true
            defer { spaceWaiter = nil }
            return spaceWaiter
        }
        waiter?.resume()
    }

    /// The next chunk, blocking while none is there; nil at the end.
    func pop() -> [UInt8]? {
        condition.lock()
        while head == chunks.count && !finished { condition.wait() }
        guard head < chunks.count else {
            condition.unlock()
            return nil
        }
        let chunk = chunks[head]
        head += 1
        if head > 64 && head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
        let waiter = spaceWaiter
        spaceWaiter = nil
        condition.unlock()
        waiter?.resume()
        return chunk
    }
}
