import NIOCore
import NIOPosix
import Synchronization

extension ScreeningService {
    /// Makes SwiftNIO's event loops (the ones Hummingbird serves on) Swift Concurrency's global executor, so a
    /// request's handler runs on the thread that read it instead of hopping to the concurrency pool and back.
    ///
    /// Call it once, from the main thread, before any task is started; returns false (and changes nothing) when
    /// the runtime does not allow it. Handlers must then never block for long: slow work (a reload, a case
    /// book commit) goes to a thread of its own. `markgate serve --handlers-on-event-loops` only: measured on
    /// this 2-core machine it saves the hop but lengthens the latency tail (README › Service › Load).
    @discardableResult
    public static func runHandlersOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Starts the lag monitor's ticks on the event loops that serve the requests (Hummingbird's default group,
    /// `MultiThreadedEventLoopGroup.singleton`), which read every request wherever its handler runs.
    public func monitorEventLoopLag() -> EventLoopLagTicks {
        lagMonitor.start(on: MultiThreadedEventLoopGroup.singleton)
    }
}

extension SchedulingLagMonitor {
    /// Ticks on each event loop of `group` until the returned ticks are cancelled, every `period` while requests
    /// come (`nextDelay`): a task scheduled on the loop itself (its timer, no thread of its own), so a tick waits
    /// behind exactly the work that the requests on that loop wait behind. At most 64 loops are watched.
    public func start(on group: any EventLoopGroup) -> EventLoopLagTicks {
        let ticks = EventLoopLagTicks()
        var loops = 0
        for (index, loop) in group.makeIterator().enumerated() where index + 1 < Self.sources {
            tick(on: loop, source: index + 1, after: period, pace: TickPace(), until: ticks)
            loops += 1
        }
        watchSources(loops + 1)
        return ticks
    }

    /// Schedules one tick on `loop` `delay` from now; the tick records how late it ran and schedules the next,
    /// `nextDelay` after it ends, unless the ticks were cancelled.
    private func tick(on loop: any EventLoop, source: Int, after delay: Duration, pace: TickPace,
                      until ticks: EventLoopLagTicks) {
        let expected = NIODeadline.now() + .nanoseconds(delay.wholeNanoseconds)
        loop.scheduleTask(deadline: expected) {
            guard !ticks.isCancelled else { return }
            let late = Int((NIODeadline.now() - expected).nanoseconds / 1000)
            self.record(lateByMicroseconds: max(0, late), source: source)
            var pace = pace
            let next = self.nextDelay(&pace)
            self.tick(on: loop, source: source, after: next, pace: pace, until: ticks)
        }
    }
}

/// The ticks `SchedulingLagMonitor.start(on:)` keeps on the event loops.
public final class EventLoopLagTicks: Sendable {
    private let cancelled = Atomic<Bool>(false)

    /// Whether `cancel()` was called: a tick due after it does nothing and schedules no other.
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Stops every tick (each loop's tick already scheduled runs once more and ends there).
    public func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }
}
