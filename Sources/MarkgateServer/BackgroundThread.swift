import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs long, non-urgent work (a reload building a register's matcher) on a thread of its own at the lowest
/// scheduling priority (nice 19), so requests being answered on the same cores go first.
///
/// A reload takes a fraction of a second to seconds of CPU. At normal priority it shares a core evenly with
/// the request handlers, so their scheduling lag passes the shedding threshold and requests are answered 503
/// while it runs; at nice 19 it gets what they leave. Linux keeps the nice value per thread, so only this
/// thread is lowered (`setpriority(PRIO_PROCESS, 0, …)` names the calling thread there).
enum BackgroundThread {
    /// The nice value background work runs at.
    static let niceValue: Int32 = 19

    /// Runs `work` on a new low-priority thread and returns its result.
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start { continuation.resume(returning: work()) }
        }
    }

    /// Starts `work` on a new low-priority thread and returns at once.
    static func start(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread {
            lowerPriority()
            work()
        }
        thread.start()
    }

    /// Lowers the calling thread to `niceValue` (best effort: an error leaves it as it was).
    static func lowerPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceValue)
        #endif
    }

    /// The calling thread's nice value (for tests).
    static func currentNice() -> Int32 {
        #if os(Linux)
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 0
        #endif
    }
}
