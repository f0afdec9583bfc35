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

/// Ticks fed to a lag monitor (threshold 5 ms, interval 0: two late ticks in a row are enough) and the shedding
/// after them.
struct LagTicksCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Each tick as (source, microseconds late), in order.
    var ticks: [(source: Int, late: Int)]
    var sheds: Bool
    /// The lag the last two ticks of a source both reached (largest over the sources whose lag counts), in
    /// microseconds.
    var sustained: Int
    /// The share of requests shed, in millionths.
    var share: Int

    var testDescription: String { name }
}

private let lagTicksCases: [LagTicksCase] = [
    LagTicksCase(name: "no tick yet", ticks: [], sheds: false, sustained: 0, share: 0),
    LagTicksCase(name: "one tick late (the machine stalled the process once) sheds nothing",
                 ticks: [(0, 300), (0, 40_000)], sheds: false, sustained: 300, share: 0),
    LagTicksCase(name: "two late ticks in a row (a saturated CPU) shed in proportion to the lesser",
                 ticks: [(0, 300), (0, 8_000), (0, 40_000)], sheds: true, sustained: 8_000, share: 600_000),
    LagTicksCase(name: "a punctual tick after late ones ends the shedding",
                 ticks: [(0, 8_000), (0, 9_000), (0, 200)], sheds: false, sustained: 0, share: 0),
    LagTicksCase(name: "late ticks apart from each other shed nothing",
                 ticks: [(0, 9_000), (0, 100), (0, 9_000), (0, 100), (0, 9_000)], sheds: false, sustained: 100,
                 share: 0),
    LagTicksCase(name: "exactly at the threshold is not over it",
                 ticks: [(0, 5_000), (0, 5_000)], sheds: false, sustained: 0, share: 0),
    LagTicksCase(name: "a microsecond over the threshold sheds a sliver",
                 ticks: [(0, 5_001), (0, 5_001)], sheds: true, sustained: 5_001, share: 200),
    LagTicksCase(name: "half the threshold over it sheds half",
                 ticks: [(0, 7_500), (0, 7_500)], sheds: true, sustained: 7_500, share: 500_000),
    LagTicksCase(name: "twice the threshold sheds all",
                 ticks: [(0, 10_000), (0, 10_000)], sheds: true, sustained: 10_000, share: 1_000_000),
    LagTicksCase(name: "far over twice the threshold still sheds all, no more",
                 ticks: [(0, 50_000), (0, 60_000)], sheds: true, sustained: 50_000, share: 1_000_000),
    LagTicksCase(name: "late ticks of two sources do not add up",
                 ticks: [(1, 9_000), (2, 9_000)], sheds: false, sustained: 0, share: 0),
    LagTicksCase(name: "one source late twice sheds, whatever the others do",
                 ticks: [(1, 9_000), (2, 100), (1, 7_000), (2, 100)], sheds: true, sustained: 7_000, share: 400_000),
]

/// A sustained lag (threshold 5 ms) and what `shedsNext()` makes of 1,000 requests asking under it.
struct ShedSpreadCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Both ticks' lateness, in microseconds.
    var lag: Int
    var shed: Int
    /// The longest run of requests shed one after the other.
    var longestRun: Int

    var testDescription: String { name }
}

private let shedSpreadCases: [ShedSpreadCase] = [
    ShedSpreadCase(name: "under the threshold nothing is shed", lag: 4_000, shed: 0, longestRun: 0),
    ShedSpreadCase(name: "a fifth: every fifth request", lag: 6_000, shed: 200, longestRun: 1),
    ShedSpreadCase(name: "half: every other request", lag: 7_500, shed: 500, longestRun: 1),
    ShedSpreadCase(name: "four fifths: never five in a row", lag: 9_000, shed: 800, longestRun: 4),
    ShedSpreadCase(name: "all from twice the threshold", lag: 10_000, shed: 1_000, longestRun: 1_000),
]

@Suite struct SchedulingLagSheddingTests {
    @Test("with no interval, shedding goes by the last two ticks of a source", arguments: lagTicksCases)
    func shedding(_ testCase: LagTicksCase) {
        let monitor = SchedulingLagMonitor(threshold: .milliseconds(5), interval: .zero)
        monitor.watchSources(3)
        for (index, tick) in testCase.ticks.enumerated() {
            monitor.record(lateByMicroseconds: tick.late, source: tick.source, at: 1 + 5_000 * index)
        }
        #expect(monitor.isOverloaded == testCase.sheds)
        #expect(monitor.sustainedLag == .microseconds(testCase.sustained))
        #expect(monitor.shedShareMillionths == testCase.share)
    }

    @Test("the share shed is spread evenly over the requests", arguments: shedSpreadCases)
    func spread(_ testCase: ShedSpreadCase) {
        let monitor = SchedulingLagMonitor(threshold: .milliseconds(5))
        monitor.hold(lateByMicroseconds: testCase.lag)
        var shed = 0, run = 0, longestRun = 0
        for _ in 0..<1_000 {
            if monitor.shedsNext() {
                shed += 1
                run += 1
                longestRun = max(longestRun, run)
            } else {
                run = 0
            }
        }
        #expect(shed == testCase.shed)
        #expect(longestRun == testCase.longestRun)
    }
}

/// Ticks of one source, at given times, fed to a lag monitor (threshold 5 ms, interval 100 ms), and the shedding
/// after them.
struct LagIntervalCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Runs of ticks as (how many, milliseconds apart, microseconds late), one after another from time 0.
    var runs: [(ticks: Int, apart: Int, late: Int)]
    /// The share of requests shed after the last tick, in millionths.
    var share: Int
    /// The largest share shed after any tick, in millionths.
    var most: Int

    var testDescription: String { name }
}

private let lagIntervalCases: [LagIntervalCase] = [
    LagIntervalCase(name: "late ticks for less than the interval shed nothing",
                    runs: [(10, 5, 0), (19, 5, 8_000)], share: 0, most: 0),
    LagIntervalCase(name: "late ticks for the whole interval shed in proportion to the last two",
                    runs: [(10, 5, 0), (21, 5, 8_000)], share: 600_000, most: 600_000),
    LagIntervalCase(name: "one stall of 150 ms, then ticks on time, sheds nothing",
                    runs: [(10, 5, 0), (1, 150, 150_000), (5, 5, 0)], share: 0, most: 0),
    LagIntervalCase(name: "a tick on time before the interval is up starts the wait again",
                    runs: [(12, 5, 8_000), (1, 5, 0), (12, 5, 8_000)], share: 0, most: 0),
    LagIntervalCase(name: "once shedding, one tick on time stops it only for that tick",
                    runs: [(21, 5, 8_000), (1, 5, 0), (2, 5, 7_500)], share: 500_000, most: 600_000),
    LagIntervalCase(name: "once shedding, ticks on time for the interval end it",
                    runs: [(21, 5, 8_000), (21, 5, 0), (2, 5, 7_500)], share: 0, most: 600_000),
    // Regression: at 5,000 requests a second, which the server sustains on its core, reloading the rules twice a
    // second left queues that took tens of milliseconds to drain, and two late ticks in a row shed requests.
    LagIntervalCase(name: "regression: a queue that drains in 60 ms (a reload's build) sheds nothing",
                    runs: [(10, 5, 0), (1, 5, 30_000), (1, 5, 24_000), (1, 5, 19_000), (1, 5, 14_000),
                           (1, 5, 10_000), (1, 5, 7_000), (1, 5, 6_000), (1, 5, 5_500), (5, 5, 300)], share: 0, most: 0),
]

@Suite struct LagIntervalTests {
    @Test("a source's lag counts once its ticks have been late for the interval, until on time for it",
          arguments: lagIntervalCases)
    func interval(_ testCase: LagIntervalCase) {
        let monitor = SchedulingLagMonitor(threshold: .milliseconds(5), interval: .milliseconds(100))
        var time = 1, most = 0
        for run in testCase.runs {
            for _ in 0..<run.ticks {
                time += run.apart * 1_000
                monitor.record(lateByMicroseconds: run.late, source: 0, at: time)
                most = max(most, monitor.shedShareMillionths)
            }
        }
        #expect(monitor.shedShareMillionths == testCase.share)
        #expect(most == testCase.most)
    }
}

/// Requests between a source's ticks (period 1 ms, idle period 20 ms) and the delays it then chooses.
struct TickPaceCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Requests asked about before each tick, as runs of (ticks, requests before each).
    var requests: [(ticks: Int, each: Int)]
    /// The delays chosen, as runs of (ticks, milliseconds).
    var delays: [(ticks: Int, milliseconds: Int)]

    var testDescription: String { name }
}

private let tickPaceCases: [TickPaceCase] = [
    TickPaceCase(name: "requests before every tick: the period throughout",
                 requests: [(300, 1)], delays: [(300, 1)]),
    TickPaceCase(name: "no request: the period for 99 ticks, then the idle period",
                 requests: [(150, 0)], delays: [(99, 1), (51, 20)]),
    TickPaceCase(name: "a request after going idle: the period again at once",
                 requests: [(120, 0), (1, 3), (5, 0)], delays: [(99, 1), (21, 20), (6, 1)]),
    TickPaceCase(name: "a request now and then keeps the period",
                 requests: [(50, 0), (1, 1), (98, 0), (1, 1), (99, 0)], delays: [(249, 1)]),
]

@Suite struct TickPaceTests {
    @Test("a source ticks every period while requests come, every idle period once none has for 100 ticks",
          arguments: tickPaceCases)
    func pace(_ testCase: TickPaceCase) {
        let monitor = SchedulingLagMonitor(threshold: .milliseconds(5), period: .milliseconds(1),
                                           idlePeriod: .milliseconds(20))
        var pace = SchedulingLagMonitor.TickPace()
        var delays: [(ticks: Int, milliseconds: Int)] = []
        for run in testCase.requests {
            for _ in 0..<run.ticks {
                for _ in 0..<run.each { _ = monitor.shedsNext() }
                let milliseconds = Int(monitor.nextDelay(&pace) / .milliseconds(1))
                if let last = delays.last, last.milliseconds == milliseconds {
                    delays[delays.count - 1].ticks += 1
                } else {
                    delays.append((1, milliseconds))
                }
            }
        }
        #expect(delays.map(\.ticks) == testCase.delays.map(\.ticks))
        #expect(delays.map(\.milliseconds) == testCase.delays.map(\.milliseconds))
    }
}
