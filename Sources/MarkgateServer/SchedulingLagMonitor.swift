import Synchronization

/// Measures how late a tick that asks to run `period` from now actually runs: the scheduling lag of whatever runs
/// the handlers, which grows when the CPU is saturated and requests wait before any handler sees them.
///
/// Ticks come from `run()` (a task sleeping on the concurrency pool, when the handlers run there) and from
/// `start(on:)` (a task scheduled on each event loop, which reads every request wherever its handler runs), every
/// `period` while requests come and every `idlePeriod` when none has for a while. Each source of ticks keeps its
/// own smoothed lag, and the lag is the largest of them.
/// The load-shedding middleware answers 503 to a share of requests while the lag is sustained over `threshold`
/// (`sustainedLag`): a source's ticks have all run later than `threshold` for `interval`, and its last two ticks
/// both ran that late. The share grows with the lag, from none at `threshold` to all at twice it (`shedShare`),
/// and `shedsNext()` spreads it evenly over the requests. The in-flight count alone cannot see that queue (a
/// saturated core runs one handler at a time, so few are ever in flight at once).
///
/// Why a share: the check runs when a request's handler starts, after it waited in the queue. Refusing every
/// request while the lag lasted refused the queue too, which emptied it in a few cheap 503s, so the server went
/// back and forth between refusing all and serving all, and under overload answered far fewer requests than it
/// could. Refusing only the share the lag calls for keeps the core busy with requests it answers 200; the lag
/// settles where the refused share matches the excess.
///
/// Why two ticks: a saturated CPU makes every tick late, one after the other, but a machine that stops the
/// process for a few milliseconds (a virtual machine's host taking its core) makes one tick late and the next on
/// time. Shedding on one late tick refused the requests that had waited out such a stall, and which the server
/// then answered in microseconds: failures that relieved nothing.
///
/// Why an interval (CoDel's, RFC 8289: a queue that drains within about 100 ms is a burst, one that stays is
/// overload): two late ticks in a row were not enough on a core 75–80% busy. A stall of tens of milliseconds, or
/// a reload's build taking the core, left a queue that took longer than two ticks to drain, and requests at a
/// rate the server sustains were shed (2–156 of 40,000 in 12 of 38 runs at 5,000/s while the rules were
/// reloaded twice a second, 9–190 in 3 of 13 runs without reloads). So a source's lag counts only once its ticks
/// have all been late for `interval`, and it stops counting only once they have all been on time for `interval`:
/// between the two, under overload, a tick that happens to come on time does not stop the shedding for a whole
/// interval.
public final class SchedulingLagMonitor: Sendable {
    /// Lag above which requests are shed.
    public let threshold: Duration
    /// Time from the end of one tick to the next while requests come. Each tick costs a timer and a wake-up
    /// (tens of microseconds here), so a shorter period notices overload sooner and costs more.
    public let period: Duration
    /// Time between ticks once no request has come for `idleAfter` ticks of a source: an idle server wakes a
    /// few dozen times a second instead of a thousand (its ticks took 8.5% of a core at a 1 ms period). Overload
    /// from idle goes unseen for at most this long.
    public let idlePeriod: Duration
    /// Ticks without a request after which a source ticks every `idlePeriod`.
    static let idleAfter = 100
    /// How long a source's ticks must all run later than `threshold` before its lag counts as sustained, and then
    /// all on time before it stops counting. 0 makes two late ticks in a row enough, and one on time the end.
    public let interval: Duration
    /// Smoothed lag in microseconds per source of ticks: 0 for `run()` and `record(lateByMicroseconds:)`,
    /// 1 + n for event loop n.
    private let lagMicroseconds = AtomicTable(count: SchedulingLagMonitor.sources)
    /// How late the latest tick of each source ran, in microseconds.
    private let lastTickMicroseconds = AtomicTable(count: SchedulingLagMonitor.sources)
    /// The lesser lateness of the last two ticks of each source while its lag counts as sustained (0 otherwise),
    /// in microseconds.
    private let sustainedMicroseconds = AtomicTable(count: SchedulingLagMonitor.sources)
    /// Per source, when the current run of late ticks began (`nowMicroseconds()`), or 0 after a tick on time.
    private let lateSince = AtomicTable(count: SchedulingLagMonitor.sources)
    /// Per source, when the current run of ticks on time began, or 0 after a late tick.
    private let punctualSince = AtomicTable(count: SchedulingLagMonitor.sources)
    /// Per source, 1 while its lag counts as sustained: from `interval` into a run of late ticks to `interval` into
    /// a run of ticks on time.
    private let engaged = AtomicTable(count: SchedulingLagMonitor.sources)
    /// What `nowMicroseconds()` counts from.
    private let origin = ContinuousClock.now
    /// How many sources have ticked or may tick (1 until `start(on:)` adds the event loops): what `lag` reads.
    private let sourcesInUse = Atomic<Int>(1)
    private let peakMicroseconds = Atomic<Int>(0)
    /// Requests asked about so far (`shedsNext()`): what spreads the shed share over them, and what tells the
    /// ticks that requests are coming.
    private let admissions = Atomic<Int>(0)
    static let sources = 65

    public init(threshold: Duration = .milliseconds(5), period: Duration = .milliseconds(5),
                idlePeriod: Duration = .milliseconds(20), interval: Duration = .milliseconds(100)) {
        self.threshold = threshold
        self.period = period
        self.idlePeriod = max(period, idlePeriod)
        self.interval = max(.zero, interval)
    }

    /// The lag of the latest ticks (per source, smoothed: the larger of the latest and half the previous; the
    /// largest over the sources).
    public var lag: Duration { largest(lagMicroseconds) }

    /// The lag that the last two ticks of a source both reached, for the sources whose lag counts as sustained
    /// (their ticks have all run late for `interval`; the largest over them, 0 when there is none): what
    /// shedding goes by.
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

    /// Whether requests are being shed now (a share above none): `sustainedLag` is over `threshold`.
    public var isOverloaded: Bool { shedShareMillionths > 0 }

    /// The share of requests to shed now, in millionths: none while `sustainedLag` is at most `threshold`, then in
    /// proportion to how far it is over, all from twice `threshold` on.
    public var shedShareMillionths: Int {
        let threshold = threshold.wholeMicroseconds
        let over = sustainedLag.wholeMicroseconds - threshold
        guard over > 0 else { return 0 }
        guard threshold > 0 else { return Self.million }
        return over >= threshold ? Self.million : over * Self.million / threshold
    }

    /// The share of requests to shed now, from 0 to 1 (`shedShareMillionths`).
    public var shedShare: Double { Double(shedShareMillionths) / Double(Self.million) }

    /// Whether to shed the request asking now: true for `shedShare` of the requests, spread evenly (the nth
    /// request is shed when n × share passes a whole number), so no run of requests is refused while the share
    /// is under 1.
    public func shedsNext() -> Bool {
        let count = admissions.wrappingAdd(1, ordering: .relaxed).newValue & Self.admissionMask
        let share = shedShareMillionths
        guard share > 0 else { return false }
        guard share < Self.million else { return true }
        return count * share / Self.million != (count - 1) * share / Self.million
    }

    /// What a source of ticks keeps from one tick to the next to choose its pace.
    struct TickPace: Sendable {
        /// `admissions` at the last tick.
        var seen = 0
        /// Ticks in a row that saw no new request.
        var quietTicks = 0
    }

    /// The delay to a source's next tick: `period` while requests come, `idlePeriod` once `idleAfter` ticks in a
    /// row have seen none.
    func nextDelay(_ pace: inout TickPace) -> Duration {
        let now = admissions.load(ordering: .relaxed)
        if now != pace.seen {
            pace.seen = now
            pace.quietTicks = 0
        } else {
            pace.quietTicks += 1
        }
        return pace.quietTicks >= Self.idleAfter ? idlePeriod : period
    }

    private static let million = 1_000_000
    /// Keeps the admission count small enough that count × share cannot overflow (it wraps to 0 by then, which
    /// only moves where the next shed request falls).
    private static let admissionMask = (1 << 40) - 1

    /// Ticks on the concurrency pool, every `period` while requests come (`nextDelay`), until the task is
    /// cancelled.
    public func run() async {
        let clock = ContinuousClock()
        var pace = TickPace()
        while !Task.isCancelled {
            let asked = clock.now.advanced(by: nextDelay(&pace))
            try? await Task.sleep(until: asked, clock: clock)
            record(lateByMicroseconds: (clock.now - asked).wholeMicroseconds)
        }
    }

    /// Takes one tick's lateness into the smoothed lag (what `run()` does every tick; tests feed it directly).
    public func record(lateByMicroseconds micros: Int) {
        record(lateByMicroseconds: micros, source: 0)
    }

    /// Microseconds since the monitor was made, from 1: the time a tick is recorded at.
    func nowMicroseconds() -> Int {
        (ContinuousClock.now - origin).wholeMicroseconds + 1
    }

    /// When the run of ticks that `table` follows for `source` began: `now` when this tick starts it (and it is
    /// stored), else the time stored.
    private func runStart(_ table: AtomicTable, source: Int, now: Int) -> Int {
        let since = table.load(source)
        guard since == 0 else { return since }
        table.store(source, now)
        return now
    }

    /// Reads sources 0..<count from now on (`start(on:)` adds the event loops' sources).
    func watchSources(_ count: Int) {
        sourcesInUse.max(min(count, Self.sources), ordering: .relaxed)
    }

    /// Takes one tick of `source`, `micros` late and recorded at `now` (`nowMicroseconds()`, from 1), into its
    /// smoothed lag and its sustained lag. A source's ticks come one at a time (they run one after another).
    func record(lateByMicroseconds micros: Int, source: Int, at now: Int? = nil) {
        let now = now ?? nowMicroseconds()
        let previous = lagMicroseconds.load(source)
        lagMicroseconds.store(source, max(micros, previous / 2))
        let interval = interval.wholeMicroseconds
        if micros > threshold.wholeMicroseconds {
            punctualSince.store(source, 0)
            if now - runStart(lateSince, source: source, now: now) >= interval { engaged.store(source, 1) }
        } else {
            lateSince.store(source, 0)
            if now - runStart(punctualSince, source: source, now: now) >= interval { engaged.store(source, 0) }
        }
        let lesser = min(micros, lastTickMicroseconds.load(source))
        sustainedMicroseconds.store(source, engaged.load(source) == 1 ? lesser : 0)
        lastTickMicroseconds.store(source, micros)
        peakMicroseconds.max(micros, ordering: .relaxed)
    }
}
