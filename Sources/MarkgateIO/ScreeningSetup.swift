import MarkgateCore
import Synchronization

/// The register and rules in force, with their hashes: swapped as a whole, atomically, on reload.
///
/// Readers take `current` (one lock, no copying of tables) and screen with that snapshot to the end of their
/// work, so a parcel is never screened half with the old set and half with the new. `reload` builds and
/// validates the new set completely before it swaps it in; when anything is wrong the old set stays in
/// force and the problems come back to the caller. The server's reload endpoint and SIGHUP use it.
public final class ScreeningSetup: Sendable {
    /// One consistent set: the screener built from a register and rules, and their content hashes.
    public struct Snapshot: Sendable {
        public let screener: Screener
        /// `sha256:…` of the register's files, as decisions carry it.
        public let registerHash: String
        /// `sha256:…` of the rules file (or of the built-in rules' canonical text).
        public let rulesHash: String
        /// Reload generation: 0 for the first set, one more for each successful reload.
        public let generation: Int
        /// The two hashes as decision lines end with them, written once.
        public let stamp: DecisionJSON.Stamp

        public init(screener: Screener, registerHash: String, rulesHash: String, generation: Int = 0) {
            self.screener = screener
            self.registerHash = registerHash
            self.rulesHash = rulesHash
            self.generation = generation
            stamp = DecisionJSON.Stamp(register: registerHash, rules: rulesHash)
        }

        /// `decision` stamped with this set's register and rules hashes.
        public func stamped(_ decision: Decision) -> Decision {
            var decision = decision
            decision.register = registerHash
            decision.rules = rulesHash
            return decision
        }
    }

    private let state: Mutex<Snapshot>

    public init(_ initial: Snapshot) {
        state = Mutex(initial)
    }

    /// The set in force now.
    public var current: Snapshot {
        state.withLock { $0 }
    }

    /// Builds a new set with `build` (which must validate everything and throw on any problem) and swaps it
    /// in; on a throw the set in force is kept and the error returned. Reloads are serialised by the caller's
    /// `build` running outside the lock: two racing reloads both succeed, the later swap winning.
    @discardableResult
    public func reload<Failure: Error>(_ build: () throws(Failure) -> Snapshot) -> Result<Snapshot, Failure> {
        let built: Snapshot
        do {
            built = try build()
        } catch {
            return .failure(error)
        }
        let swapped = state.withLock { snapshot -> Snapshot in
            snapshot = Snapshot(screener: built.screener, registerHash: built.registerHash,
                                rulesHash: built.rulesHash, generation: snapshot.generation + 1)
            return snapshot
        }
        return .success(swapped)
    }
}
