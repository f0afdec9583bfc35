import Synchronization

/// Measures how late a task that asks to sleep 1 ms wakes up: the scheduling lag of the Swift concurrency pool
/// that runs the handlers, which grows when the CPU is saturated and requests wait before any handler sees them.
///
/// The load-shedding middleware answers 503 while the lag is over `threshold`. The in-flight count alone cannot
/// see that queue (a saturated core runs one handler at a time, so few are ever in flight at once).
public final class SchedulingLagMonitor: Sendable {
    /// Lag above which requests are shed.
    public let threshold: Duration
    private let lagMicroseconds = Atomic<Int>(0)

    public init(threshold: Duration = .milliseconds(5)) {
        self.threshold = threshold
    }

    /// The lag of the latest tick (smoothed: the larger of the latest and half the previous).
    public var lag: Duration { .microseconds(lagMicroseconds.load(ordering: .relaxed)) }

    /// Whether requests should be shed now.
    public var isOverloaded: Bool { lag > threshold }

    /// Ticks every millisecond until the task is cancelled.
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
        let previous = lagMicroseconds.load(ordering: .relaxed)
        lagMicroseconds.store(max(micros, previous / 2), ordering: .relaxed)
    }
}
