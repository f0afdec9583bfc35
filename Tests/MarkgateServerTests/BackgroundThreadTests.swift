import Foundation
import Testing
@testable import MarkgateServer

/// Reloads run at the lowest priority, on a thread of their own, and the caller's thread keeps its own.
struct BackgroundThreadTests {
    @Test func workRunsAtNiceNineteenAndTheCallerKeepsItsPriority() async {
        let callerNice = BackgroundThread.currentNice()
        let nice = await BackgroundThread.run { BackgroundThread.currentNice() }
        #if os(Linux)
        #expect(nice == BackgroundThread.niceValue)
        #endif
        #expect(BackgroundThread.currentNice() == callerNice)
    }

    @Test func startReturnsBeforeTheWorkEnds() {
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        BackgroundThread.start {
            started.signal()
            release.wait()
            finished.signal()
        }
        started.wait()
        #expect(finished.wait(timeout: .now()) == .timedOut)
        release.signal()
        #expect(finished.wait(timeout: .now() + 10) == .success)
    }
}
