import Foundation
@testable import MarkgateServer
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

/// Ticks fed to a lag monitor (threshold 5 ms) and whether it sheds after them.
struct LagTicksCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Each tick as (source, microseconds late), in order.
    var ticks: [(source: Int, late: Int)]
    var sheds: Bool
    /// The lag the last two ticks of a source both reached (largest over the sources), in microseconds.
    var sustained: Int

    var testDescription: String { name }
}

private let lagTicksCases: [LagTicksCase] = [
    LagTicksCase(name: "no tick yet", ticks: [], sheds: false, sustained: 0),
    LagTicksCase(name: "one tick late (the machine stalled the process once) sheds nothing",
                 ticks: [(0, 300), (0, 40_000)], sheds: false, sustained: 300),
    LagTicksCase(name: "two late ticks in a row (a saturated CPU) shed",
                 ticks: [(0, 300), (0, 8_000), (0, 40_000)], sheds: true, sustained: 8_000),
    LagTicksCase(name: "a punctual tick after late ones ends the shedding",
                 ticks: [(0, 8_000), (0, 9_000), (0, 200)], sheds: false, sustained: 200),
    LagTicksCase(name: "late ticks apart from each other shed nothing",
                 ticks: [(0, 9_000), (0, 100), (0, 9_000), (0, 100), (0, 9_000)], sheds: false, sustained: 100),
    LagTicksCase(name: "exactly at the threshold is not over it",
                 ticks: [(0, 5_000), (0, 5_000)], sheds: false, sustained: 5_000),
    LagTicksCase(name: "late ticks of two sources do not add up",
                 ticks: [(1, 9_000), (2, 9_000)], sheds: false, sustained: 0),
    LagTicksCase(name: "one source late twice sheds, whatever the others do",
                 ticks: [(1, 9_000), (2, 100), (1, 7_000), (2, 100)], sheds: true, sustained: 7_000),
]

@Suite struct SchedulingLagSheddingTests {
    @Test("shedding goes by the last two ticks of a source", arguments: lagTicksCases)
    func shedding(_ testCase: LagTicksCase) {
        let monitor = SchedulingLagMonitor(threshold: .milliseconds(5))
        monitor.watchSources(3)
        for tick in testCase.ticks { monitor.record(lateByMicroseconds: tick.late, source: tick.source) }
        #expect(monitor.isOverloaded == testCase.sheds)
        #expect(monitor.sustainedLag == .microseconds(testCase.sustained))
    }
}
