import Foundation
import MarkgateServer
import NIOPosix
import Testing

/// The lag monitor's ticks on an event loop see the loop blocked, and the lag falls once it runs freely again.
@Suite struct SchedulingLagMonitorTests {
    @Test func aBlockedEventLoopShowsAsLagThatFallsOnceItRunsAgain() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let monitor = SchedulingLagMonitor(threshold: .milliseconds(5))
        let ticks = monitor.start(on: group)
        defer { ticks.cancel() }
        // Let a few ticks run, then hold the loop for 60 ms, as a saturated CPU would.
        try await Task.sleep(for: .milliseconds(20))
        try await group.next().submit { Thread.sleep(forTimeInterval: 0.06) }.get()
        // The tick that was due during the block runs late by tens of milliseconds (never less: it cannot run
        // early). The peak keeps it, however late this task looks.
        var waited = 0
        while monitor.peakLag < .milliseconds(20) && waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(monitor.peakLag >= .milliseconds(20), "peak lag \(monitor.peakLag)")
        #expect(monitor.peakLag < .seconds(2), "peak lag \(monitor.peakLag)")
        // Punctual ticks halve it: within a second it is under the threshold again.
        waited = 0
        while monitor.isOverloaded && waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(!monitor.isOverloaded, "lag \(monitor.lag) after \(waited * 10) ms")
        try await group.shutdownGracefully()
    }
}
