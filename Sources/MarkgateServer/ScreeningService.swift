import HTTPTypes
import Logging
import MarkgateCore
import MarkgateIO
import MarkgateStore
import Synchronization

/// The running service's state: the screening set in force, the configuration, the counters and the logger.
///
/// Shared by every request (it is `Sendable` and holds no lock on the hot path): a request takes
/// `setup.current` once and screens with that snapshot to the end, so a response never mixes two sets.
/// `buildRouter()` and `buildApplication()` (ScreeningService+Router.swift) make the HTTP side.
public final class ScreeningService: Sendable {
    /// The register, rules and HS table in force, swapped whole on reload.
    public let setup: ScreeningSetup
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    /// Scheduling lag, for shedding load when the CPU is saturated; runs only while `lagMonitor.run()` does
    /// (`markgate serve` runs it; tests need not).
    public let lagMonitor: SchedulingLagMonitor
    /// Where screened records are recorded before they are answered (`serve --db`); nil records nothing.
    public let caseBook: ServedCaseBook?
    let logger: Logger
    /// The JSON answers' fields for the set in force, by generation (`jsonFields(_:)`).
    let snapshotFields = Mutex<(generation: Int, fields: HTTPFields)?>(nil)

    public init(setup: ScreeningSetup, configuration: ServerConfiguration, logger: Logger,
                caseBook: ServedCaseBook? = nil) {
        self.setup = setup
        self.configuration = configuration
        self.caseBook = caseBook
        metrics = ServerMetrics()
        lagMonitor = SchedulingLagMonitor(threshold: configuration.maximumLag, period: configuration.lagTick,
                                          interval: configuration.lagInterval)
        self.logger = logger
    }

    /// Why a request got no slot.
    public enum SlotRefusal: Sendable, Equatable {
        /// The scheduling lag has stayed over `maximumLag` for the lag interval, and this request falls in the
        /// share shed for it (`SchedulingLagMonitor.shedsNext()`): the CPU is saturated (503).
        case overloaded
        /// `maximumInflight` requests are already under way (429).
        case tooManyRequests
    }

    /// Takes a slot among the `maximumInflight` requests allowed at once; nil when one was taken, else why not
    /// (nothing taken): the request falls in the share shed while the scheduling lag stays over `maximumLag`, or
    /// every slot is taken.
    /// Each nil must be matched by one `releaseSlot()`.
    public func tryAcquireSlot() -> SlotRefusal? {
        if lagMonitor.shedsNext() { return .overloaded }
        let now = metrics.inflight.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        if now > configuration.maximumInflight {
            metrics.inflight.wrappingSubtract(1, ordering: .acquiringAndReleasing)
            return .tooManyRequests
        }
        return nil
    }

    /// Gives back a slot taken by `tryAcquireSlot()`.
    public func releaseSlot() {
        metrics.inflight.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    /// Reloads the register, rules and HS table from the configured paths; on any error the set in force
    /// stays. The outcome is logged (used by the admin endpoint and SIGHUP).
    @discardableResult
    public func reload(trigger: String) -> Result<ScreeningSetup.Snapshot, ScreeningSetupError> {
        let result = setup.reload(registerPath: configuration.registerPath, rulesPath: configuration.rulesPath,
                                  hsTablePath: configuration.hsTablePath)
        switch result {
        case .success(let snapshot):
            logger.info("reloaded", metadata: [
                "trigger": "\(trigger)", "register": "\(snapshot.registerHash)", "rules": "\(snapshot.rulesHash)",
                "generation": "\(snapshot.generation)",
            ])
        case .failure(let error):
            let old = setup.current
            logger.error("reload rejected; the old set keeps serving", metadata: [
                "trigger": "\(trigger)", "errors": "\(error.diagnostics.count)", "rules": "\(old.rulesHash)",
                "first": "\(error.diagnostics.first?.description ?? "")",
            ])
        }
        return result
    }
}
