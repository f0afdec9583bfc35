import Testing
@testable import MarkgateCore

private func decision(_ parcel: String, _ verdict: Verdict, marks: [String] = [],
                      reasons: [(String, Double)] = []) -> Decision {
    let hits = marks.map { Hit(mark: $0, name: $0, matched: $0, start: 0, end: $0.count, method: .exact, similarity: 1) }
    let reasons = reasons.map { Reason(rule: $0.0, weight: $0.1, detail: "") }
    return Decision(parcel: parcel, decision: verdict, score: min(1, reasons.reduce(0) { $0 + $1.weight }),
                    hits: hits, suppressed: [], reasons: reasons)
}

private let labels: [String: Backtest.Label] = [
    "caught": .init(kind: .flag, mark: "NIKE", family: "exact"),
    "caught-with-price": .init(kind: .flag, mark: "NIKE", family: "low-price"),
    "wrong-mark": .init(kind: .flag, mark: "NIKE", family: "exact"),
    "missed": .init(kind: .flag, mark: "NIKE", family: "typo1"),
    "no-decision": .init(kind: .flag, mark: "NIKE", family: "typo1"),
    "quiet": .init(kind: .clear, family: "plain"),
    "false-alarm": .init(kind: .clear, family: "near-miss"),
    "skipped": .init(kind: .skip),
]

private let decisions = [
    decision("caught", .review, marks: ["NIKE"], reasons: [("mark-exact", 0.6)]),
    decision("caught-with-price", .inspect, marks: ["NIKE"], reasons: [("mark-fuzzy", 0.45), ("price-below-floor", 0.3)]),
    decision("wrong-mark", .review, marks: ["ADIDAS"], reasons: [("mark-exact", 0.6)]),
    decision("missed", .clear),
    decision("quiet", .clear, reasons: [("slang", 0.3)]),
    decision("false-alarm", .review, marks: ["NIKE"], reasons: [("mark-exact", 0.6)]),
    decision("skipped", .inspect, marks: ["NIKE"], reasons: [("mark-variant", 0.8)]),
    decision("unlabelled", .inspect, marks: ["NIKE"], reasons: [("mark-variant", 0.8)]),
]

@Test("Backtest counts as score.py does: a catch needs a flag naming the labelled mark")
func backtestCounts() {
    let report = Backtest(decisions: decisions, labels: labels, review: 0.5)
    #expect(report.truePositives == 2)
    #expect(report.falseNegatives == 3)
    #expect(report.wrongMark == 1)
    #expect(report.missing == 1)
    #expect(report.falsePositives == 1)
    #expect(report.trueNegatives == 1)
    #expect(report.recall == 2.0 / 5.0)
    #expect(report.falseAlarmRate == 0.5)
    #expect(report.precision == 2.0 / 3.0)
    #expect(report.counts[.flag] == ["review": 2, "inspect": 1, "clear": 1, "missing": 1])
    #expect(report.counts[.clear] == ["clear": 1, "review": 1])
    #expect(report.families["typo1"]?.right == 0 && report.families["typo1"]?.total == 2)
    #expect(report.families["exact"]?.right == 1 && report.families["exact"]?.total == 2)
}

@Test("Backtest tells which signals were decisive for catches and false alarms")
func backtestSignals() {
    let report = Backtest(decisions: decisions, labels: labels, review: 0.5)
    let exact = report.signals["mark-exact"]
    #expect(exact?.caught == 1 && exact?.decisiveCatches == 1)
    #expect(exact?.missed == 1)          // the wrong-mark parcel
    #expect(exact?.falseAlarms == 1 && exact?.decisiveFalseAlarms == 1)
    // 0.45 + 0.3: each alone is below review, so both are decisive.
    #expect(report.signals["price-below-floor"]?.decisiveCatches == 1)
    #expect(report.signals["mark-fuzzy"]?.decisiveCatches == 1)
    #expect(report.signals["slang"]?.quiet == 1)
    #expect(report.signals["mark-variant"] == nil)   // only on skipped and unlabelled parcels
}

@Test("Rules diff keeps only verdict changes, counted by change")
func rulesDiffCounts() {
    var diff = RulesDiff()
    diff.add(before: decision("A", .inspect, reasons: [("x", 0.85)]), after: decision("A", .review, reasons: [("x", 0.85)]))
    diff.add(before: decision("B", .review, reasons: [("x", 0.6)]), after: decision("B", .review, reasons: [("x", 0.7)]))
    diff.add(before: decision("C", .clear), after: decision("C", .clear))
    diff.add(before: decision("D", .inspect, reasons: [("x", 0.9)]), after: decision("D", .review, reasons: [("x", 0.9)]))
    #expect(diff.parcels == 4)
    #expect(diff.changes.map(\.parcel) == ["A", "D"])
    #expect(diff.counts == ["inspect → review": 2])
    #expect(diff.scoreOnly == 1)
}
