import Foundation
import MarkgateCore
import MarkgateIO

/// Counts for the summary `screen` prints at the end: parcels, items, decisions by kind, errors, time, rate.
struct ScreenSummary {
    var parcels = 0
    var items = 0
    var byVerdict: [Verdict: Int] = [:]
    var errors = 0
    let started = ContinuousClock.now

    mutating func count(_ verdict: Verdict, items: Int) {
        parcels += 1
        self.items += items
        byVerdict[verdict, default: 0] += 1
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

/// A progress line on standard error, redrawn at most twice a second (only on a terminal):
/// `42%  1,234 parcels, 1,234,567 items, 0 errors, 61,234 items/s, ETA 0:12`.
///
/// The share done and the time left come from the current input's raw bytes read against its size
/// (`InputProgress`), so they are shown only when the size is known (a regular file); the rate is over the run.
final class ProgressLine {
    private let enabled: Bool
    private var last = ContinuousClock.now
    /// The input being read, and when reading it began.
    private var input: InputProgress?
    private var inputStarted = ContinuousClock.now

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ summary: ScreenSummary, input: InputProgress? = nil) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let input, input !== self.input {
            self.input = input
            inputStarted = now
        }
        guard now - last > .milliseconds(500) else { return }
        last = now
        let elapsed = now - inputStarted
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let text = Self.text(summary, fraction: input?.fractionDone, bytesRead: input?.bytesRead ?? 0,
                             totalBytes: input?.totalBytes, inputSeconds: seconds)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// The line's text: the share done and the time left (from the bytes read of the input in `inputSeconds`)
    /// only when `fraction` is known.
    static func text(_ summary: ScreenSummary, fraction: Double?, bytesRead: Int, totalBytes: Int?,
                     inputSeconds: Double) -> String {
        let rate = summary.seconds > 0 ? Double(summary.items) / summary.seconds : 0
        var text = "\(grouped(summary.parcels)) parcels, \(grouped(summary.items)) items, \(grouped(summary.errors)) "
            + "errors, \(grouped(Int(rate))) items/s"
        if let fraction, let totalBytes {
            text = "\(Int(fraction * 100))%  " + text
            if bytesRead > 0 && inputSeconds > 0 {
                let left = Double(max(0, totalBytes - bytesRead)) / (Double(bytesRead) / inputSeconds)
                text += ", ETA " + clock(left)
            }
        }
        return text
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = number < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// `75` → `1:15`, `3725` → `1:02:05`.
    static func clock(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(min(seconds, 1e7).rounded(.up)) : 0
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }
}
