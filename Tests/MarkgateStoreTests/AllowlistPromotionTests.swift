import Foundation
import MarkgateCore
import MarkgateIO
@testable import MarkgateStore
import MarkgateTestSupport
import Testing

/// A rules text and what adding one pair must make of it.
struct AllowlistEditCase: CustomTestStringConvertible, Sendable {
    let name: String
    let before: String
    let after: String?
    var testDescription: String { name }
}

private let pair = Rules.DecidedPair(consignor: "Shop \"A\"", mark: "NIKE", note: "reseller")
private let item = #"- {consignor: "Shop \"A\"", mark: "NIKE", note: "reseller"}"#

let allowlistEditCases: [AllowlistEditCase] = [
    AllowlistEditCase(name: "empty-flow-list",
                      before: "version: 1\n# decided pairs\nallowlist: []  # none yet\nquantity: {}\n",
                      after: "version: 1\n# decided pairs\nallowlist: # none yet\n  \(item)\nquantity: {}\n"),
    AllowlistEditCase(name: "block-list-indented",
                      before: "allowlist:\n  # reviewed\n  - {consignor: B, mark: ROLEX}\nrates: {}\n",
                      after: "allowlist:\n  \(item)\n  # reviewed\n  - {consignor: B, mark: ROLEX}\nrates: {}\n"),
    AllowlistEditCase(name: "block-list-at-column-0", before: "allowlist:\n- {consignor: B, mark: ROLEX}\n",
                      after: "allowlist:\n\(item)\n- {consignor: B, mark: ROLEX}\n"),
    AllowlistEditCase(name: "no-allowlist", before: "version: 1\n", after: "version: 1\nallowlist:\n  \(item)\n"),
    AllowlistEditCase(name: "non-empty-flow-list-refused", before: "allowlist: [{consignor: B, mark: ROLEX}]\n",
                      after: nil),
]

@Test(arguments: allowlistEditCases)
func allowlistEntriesAreAddedKeepingTheRest(_ edit: AllowlistEditCase) throws {
    if let after = edit.after {
        #expect(try AllowlistPromotion.adding([pair], to: edit.before, file: "rules.yaml") == after)
    } else {
        #expect(throws: CaseBookError.self) { try AllowlistPromotion.adding([pair], to: edit.before, file: "r.yaml") }
    }
}

@Test func aPromotedFalseAlarmIsSuppressedOnRescreening() throws {
    let register = try RegisterLoader.load(path: packageRoot.appendingPathComponent("Rules/register.yaml").path)
        .register
    let shipped = packageRoot.appendingPathComponent("Rules/rules.yaml").path
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-rules-\(UUID()).yaml").path
    try FileManager.default.copyItem(atPath: shipped, toPath: path)
    let parcel = Parcel(id: "FA1", consignor: "Shenzhen Real Sports Co.",
                        items: [ParcelItem(line: 1, description: "NIKE running shoes", hsCode: "640411")])
    let before = Screener(register: register, rules: try RulesLoader.load(path: path).rules).screen(parcel)
    #expect(before.decision != .clear)

    let book = try CaseBook()
    let run = try book.beginRun(CaseBook.RunInfo(sources: ["m"], registerHash: nil, rulesHash: nil, toolVersion: "t"))
    try book.record(DecisionBatch(runID: run, source: "m", sourceID: "m", firstOrdinal: 0, entries: [
        DecisionEntry(decision: before, parcel: parcel, line: Array(DecisionJSON.line(before).utf8)),
    ]))
    let confirmed = try book.decide(parcel: "FA1", verdict: .confirmed, note: "fake", reviewer: "a")
    let decision = try #require(try book.decision(seq: confirmed.decisionSeq))
    #expect(throws: CaseBookError.self) { try AllowlistPromotion.pairs(review: confirmed, decision: decision) }

    let review = try book.decide(parcel: "FA1", verdict: .falseAlarm, note: "authorised reseller", reviewer: "b")
    let pairs = try AllowlistPromotion.pairs(review: review, decision: decision)
    #expect(pairs.map(\.mark) == ["NIKE"])
    #expect(try AllowlistPromotion.promote(pairs, rulesPath: path) == pairs)
    #expect(try AllowlistPromotion.promote(pairs, rulesPath: path).isEmpty)   // already there

    let text = try String(contentsOfFile: path, encoding: .utf8)
    let original = try String(contentsOfFile: shipped, encoding: .utf8)
    #expect(text.contains("# Decided pairs: a reviewer ruled"))   // comments kept
    #expect(text.components(separatedBy: "\n").count == original.components(separatedBy: "\n").count + 1)
    let rules = try RulesLoader.load(path: path).rules
    let after = Screener(register: register, rules: rules).screen(parcel)
    #expect(after.decision == .clear)
    #expect(after.suppressed.map(\.reason) == ["allowlisted"])
}
