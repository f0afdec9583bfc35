import Foundation
import MarkgateTestSupport
import Testing
@testable import MarkgateStore

/// `DecisionEntry.timestamp` writes the same text as the calendar does, for dates across four centuries
/// (leap days, century years, the epoch, before it) and every millisecond boundary case.
struct TimestampTests {
    static func reference(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let whole = Date(timeIntervalSince1970: Double(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient
                                                       - (milliseconds % 1000 < 0 ? 1 : 0)))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        let millisecond = (milliseconds % 1000 + 1000) % 1000
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value!)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):"
            + "\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad(Int(millisecond), 3))Z"
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let seconds: Double
        let text: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the epoch", seconds: 0, text: "1970-01-01T00:00:00.000Z"),
        Case(name: "before the epoch", seconds: -1.5, text: "1969-12-31T23:59:58.500Z"),
        Case(name: "a leap day", seconds: 1_709_208_000.5, text: "2024-02-29T12:00:00.500Z"),
        Case(name: "2000 is a leap year", seconds: 951_782_400, text: "2000-02-29T00:00:00.000Z"),
        Case(name: "2100 is not", seconds: 4_107_542_399.999, text: "2100-02-28T23:59:59.999Z"),
        Case(name: "today", seconds: 1_795_286_412.345, text: "2026-11-21T18:40:12.345Z"),
    ]

    @Test(arguments: cases)
    func writesTheCalendarDate(_ testCase: Case) {
        let date = Date(timeIntervalSince1970: testCase.seconds)
        #expect(DecisionEntry.timestamp(date) == testCase.text)
        #expect(Self.reference(date) == testCase.text)
    }

    @Test func agreesWithTheCalendarOnRandomDates() {
        var random = SplitMix64(seed: 17)
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            // 1900…2299, in whole milliseconds.
            let milliseconds = Int64(random.next() % 12_622_780_800_000) - 2_208_988_800_000
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            if DecisionEntry.timestamp(date) != Self.reference(date) {
                mismatches.append("\(milliseconds): \(DecisionEntry.timestamp(date)) vs \(Self.reference(date))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }
}
