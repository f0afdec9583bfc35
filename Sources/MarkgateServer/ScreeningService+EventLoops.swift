import NIOCore
import NIOPosix

extension ScreeningService {
    /// Makes SwiftNIO's event loops (the ones Hummingbird serves on) Swift Concurrency's global executor, so a
    /// request's handler runs on the thread that read it instead of hopping to the concurrency pool and back.
    ///
    /// Call it once, from the main thread, before any task is started; returns false (and changes nothing) when
    /// the runtime does not allow it. Measured on 2 cores: see README › Service › Load. Handlers must then never
    /// block for long: slow work (a reload) goes to a thread of its own.
    @discardableResult
    public static func runHandlersOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
