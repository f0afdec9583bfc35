import Synchronization

/// Measures how late a tick that asks to run 1 ms from now actually runs: the scheduling lag of whatever runs the
/// handlers, which grows when the CPU is saturated and requests wait before any handler sees them.
///
/// Ticks come from `run()` (a task sleeping 1 ms on the concurrency pool, when the handlers run there) or from
/// `start(on:)` (a task scheduled on each event loop, when `ScreeningService.runHandlersOnEventLoops()` put the
/// handlers there). Each source of ticks keeps its own smoothed lag, and the lag is the largest of them.
/// The load-shedding middleware answers 503 while the lag is sustained over `threshold`: the last two ticks of a
/// source both ran that late (`sustainedLag`). The in-flight count alone cannot see that queue (a saturated core
/// runs one handler at a time, so few are ever in flight at once).
///
/// Why two ticks: a saturated CPU makes every tick late, one after the other, but a machine that stops the
/// process for a few milliseconds (a virtual machine's host taking its core) makes one tick late and the next on
/// time. Shedding on one late tick refused the requests that had waited out such a stall, and which the server
/// then answered in microseconds: failures that relieved nothing.
public final class SchedulingLagMonitor: Sendable {
    /// Lag above which requests are shed.
    public let threshold: Duration
    /// Smoothed lag in microseconds per source of ticks: 0 for `run()` and `record(lateByMicroseconds:)`,
    /// 1 + n for event loop n.
    private let lagMicroseconds = AtomicTable(count: SchedulingLagMonitor.sources)
    /// How late the latest tick of each source ran, in microseconds.
    private let lastTickMicroseconds = AtomicTable(count: SchedulingLagMonitor.sources)
    /// The lesser lateness of the last two ticks of each source, in microseconds.
    private let sustainedMicroseconds = AtomicTable(count: SchedulingLagMonitor.sources)
    /// How many sources have ticked or may tick (1 until `start(on:)` adds the event loops): what `lag` reads.
    private let sourcesInUse = Atomic<Int>(1)
    private let peakMicroseconds = Atomic<Int>(0)
    static let sources = 65

    public init(threshold: Duration = .milliseconds(5)) {
        self.threshold = threshold
    }

    /// The lag of the latest ticks (per source, smoothed: the larger of the latest and half the previous; the
    /// largest over the sources).
    public var lag: Duration { largest(lagMicroseconds) }

    /// The lag that the last two ticks of a source both reached (the largest over the sources): what shedding
    /// goes by.
    public var sustainedLag: Duration { largest(sustainedMicroseconds) }

    /// The largest of `table`'s values over the sources in use, in microseconds.
    private func largest(_ table: AtomicTable) -> Duration {
        var largest = 0
        for source in 0..<sourcesInUse.load(ordering: .relaxed) {
            largest = max(largest, table.load(source))
        }
        return .microseconds(largest)
    }

    /// The largest lag any tick has seen since the monitor was made.
    public var peakLag: Duration { .microseconds(peakMicroseconds.load(ordering: .relaxed)) }

    /// Whether requests should be shed now: the last two ticks of a source both ran later than `threshold`.
    public var isOverloaded: Bool { sustainedLag > threshold }

    /// Ticks every millisecond on the concurrency pool until the task is cancelled.
    public func run() async {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let asked = clock.now.advanced(by: .milliseconds(1))
            try? await Task.sleep(until: asked, clock: clock)
            let late = clock.now - asked
            let micros = Int(late.components.seconds) * 1_000_000 + Int(late.components.attoseconds / 1_000_000_000_000)
            record(lateByMicroseconds: micros)
        }
    }

    /// Takes one tick's lateness into the smoothed lag (what `run()` does every tick; tests feed it directly).
    public func record(lateByMicroseconds micros: Int) {
        record(lateByMicroseconds: micros, source: 0)
    }

    /// Reads sources 0..<count from now on (`start(on:)` adds the event loops' sources).
    func watchSources(_ count: Int) {
        sourcesInUse.max(min(count, Self.sources), ordering: .relaxed)
    }

    /// Takes one tick's lateness into the smoothed lag of `source`.
    func record(lateByMicroseconds micros: Int, source: Int) {
        let previous = lagMicroseconds.load(source)
        lagMicroseconds.store(source, max(micros, previous / 2))
        sustainedMicroseconds.store(source, min(micros, lastTickMicroseconds.load(source)))
        lastTickMicroseconds.store(source, micros)
        peakMicroseconds.max(micros, ordering: .relaxed)
    }
}
