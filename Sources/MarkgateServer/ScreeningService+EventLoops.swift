import NIOCore
import NIOPosix

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
    /// Ticks every `period` on each event loop of `group` until the returned ticks are cancelled: a task
    /// scheduled on the loop itself (its timer, no thread of its own), so a tick waits behind exactly the work
    /// that the requests on that loop wait behind. At most 64 loops are watched.
    public func start(on group: any EventLoopGroup) -> EventLoopLagTicks {
        var tasks: [RepeatedTask] = []
        let delay = TimeAmount.nanoseconds(Int64(period.components.seconds) * 1_000_000_000
                                           + period.components.attoseconds / 1_000_000_000)
        for (index, loop) in group.makeIterator().enumerated() where index + 1 < Self.sources {
            let expected = NIOLoopBoundBox.makeBoxSendingValue(NIODeadline.now() + delay, eventLoop: loop)
            tasks.append(loop.scheduleRepeatedTask(initialDelay: delay, delay: delay) { _ in
                // The next tick is due `delay` after this one ends.
                let now = NIODeadline.now()
                let late = Int((now - expected.value).nanoseconds / 1000)
                self.record(lateByMicroseconds: max(0, late), source: index + 1)
                expected.value = now + delay
            })
        }
        watchSources(tasks.count + 1)
        return EventLoopLagTicks(tasks: tasks)
    }
}

/// The ticks `SchedulingLagMonitor.start(on:)` keeps on the event loops.
public struct EventLoopLagTicks: Sendable {
    let tasks: [RepeatedTask]

    /// Stops every tick.
    public func cancel() {
        for task in tasks { task.cancel() }
    }
}
