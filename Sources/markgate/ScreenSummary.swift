import Foundation
import MarkgateCore

/// Counts for the summary `screen` prints at the end: parcels, items, decisions by kind, errors, time, rate.
struct ScreenSummary {
    var parcels = 0
    var items = 0
    var byVerdict: [Verdict: Int] = [:]
    var errors = 0
    let started = ContinuousClock.now

    mutating func count(_ decision: Decision, items: Int) {
        parcels += 1
        self.items += items
        byVerdict[decision.decision, default: 0] += 1
    }

    var seconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func report() -> String {
        let verdicts = Verdict.allCases.map { "\($0.rawValue) \(byVerdict[$0] ?? 0)" }.joined(separator: ", ")
        let rate = seconds > 0 ? Double(items) / seconds : 0
        return String(format: "markgate: %d parcels, %d items (%@), %d errors in %.2f s, %.0f items/s",
                      parcels, items, verdicts, errors, seconds, rate)
    }
}

/// A progress line on standard error, redrawn at most twice a second (only on a terminal).
final class ProgressLine {
    private let enabled: Bool
    private var last = ContinuousClock.now

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ summary: ScreenSummary) {
        guard enabled, ContinuousClock.now - last > .milliseconds(500) else { return }
        last = ContinuousClock.now
        let rate = summary.seconds > 0 ? Double(summary.items) / summary.seconds : 0
        let text = String(format: "\r%d parcels, %d items, %d errors, %.0f items/s ", summary.parcels,
                          summary.items, summary.errors, rate)
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
