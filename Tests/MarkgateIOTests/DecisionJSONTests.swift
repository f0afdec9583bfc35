import Foundation
import MarkgateCore
import MarkgateTestSupport
import Testing
@testable import MarkgateIO

struct JSONStringCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let literal: String
    var testDescription: String { name }
}

let jsonStringCases: [JSONStringCase] = [
    JSONStringCase(name: "plain", text: "NIKE shoes", literal: #""NIKE shoes""#),
    JSONStringCase(name: "empty", text: "", literal: #""""#),
    JSONStringCase(name: "quote-and-backslash", text: #"a "b" \c"#, literal: #""a \"b\" \\c""#),
    JSONStringCase(name: "line-breaks-and-tab", text: "a\nb\rc\td", literal: #""a\nb\rc\td""#),
    JSONStringCase(name: "other-control", text: "a\u{01}b\u{1F}", literal: #""a\u0001b\u001f""#),
    JSONStringCase(name: "line-separators", text: "a\u{2028}b\u{2029}c", literal: #""a\u2028b\u2029c""#),
    JSONStringCase(name: "other-e2-scalars-kept", text: "€ – …", literal: "\"€ – …\""),
    JSONStringCase(name: "cjk-and-fullwidth", text: "耐克ＮＩＫＥ", literal: "\"耐克ＮＩＫＥ\""),
    JSONStringCase(name: "trailing-e2-byte-prefix", text: "x\u{20AC}", literal: "\"x€\""),
]

@Test(arguments: jsonStringCases)
func jsonStringLiteral(_ testCase: JSONStringCase) throws {
    let literal = DecisionJSON.string(testCase.text)
    #expect(literal == testCase.literal)
    // And a JSON parser reads the text back.
    let parsed = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
    #expect(parsed == [testCase.text])
}

/// The escaping rule stated scalar by scalar: what the byte-level writer must produce.
func referenceJSONString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{2028}": out += "\\u2028"
        case "\u{2029}": out += "\\u2029"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

@Test("Generated strings of escapes, runs, CJK and E2-led scalars are escaped as the scalar-level rule says")
func jsonStringMatchesTheScalarRule() {
    let alphabet: [Unicode.Scalar] = ["a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{00}", "\u{01}", "\u{1F}", "\u{7F}",
                                      "\u{2028}", "\u{2029}", "\u{2027}", "\u{20AC}", "\u{2013}", "耐", "克", "Ｎ",
                                      "\u{1F600}", "é"]
    var random = SplitMix64(seed: 3)
    var mismatches: [String] = []
    for _ in 0..<5_000 {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int(random.next() % 24) { text.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
        let string = String(text)
        if DecisionJSON.string(string) != referenceJSONString(string) { mismatches.append(string.debugDescription) }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
}

@Test("A decision is one JSON object with the contract's keys, in order, that a parser reads back")
func decisionLineRoundTrips() throws {
    let hit = Hit(mark: "NIKE", name: "NIKE", matched: "N1KE \"x\"", line: 2, field: "description", start: 0,
                  end: 4, method: .fuzzy, similarity: 0.875)
    var decision = Decision(parcel: "P\u{2028}1", decision: .inspect, score: 0.95, hits: [hit],
                            suppressed: [SuppressedHit(hit: hit, reason: "licensee", detail: "d")],
                            reasons: [Reason(rule: "mark-fuzzy", weight: 0.6625, detail: "line 2 names NIKE")])
    decision.register = "sha256:ab"
    let line = DecisionJSON.line(decision)
    #expect(!line.contains("\n"))
    let keys = ["parcel", "decision", "score", "hits", "suppressed", "reasons", "register", "rules"]
    let positions = keys.map { line.range(of: "\"\($0)\":")?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["parcel"] as? String == "P\u{2028}1")
    #expect(object["score"] as? Double == 0.95)
    #expect(object["rules"] is NSNull)
    let hits = try #require(object["hits"] as? [[String: Any]])
    #expect(hits.first?["matched"] as? String == "N1KE \"x\"")
    #expect(hits.first?["similarity"] as? Double == 0.875)
    let suppressed = try #require(object["suppressed"] as? [[String: Any]])
    #expect(suppressed.first?["reason"] as? String == "licensee")
    #expect((object["reasons"] as? [[String: Any]])?.first?["weight"] as? Double == 0.6625)
}

/// A decision and the hashes to stamp it with, for `DecisionJSON.append(_:stamp:to:)`.
struct StampCase: Sendable, CustomTestStringConvertible {
    var name: String
    var decision: Decision
    var register: String?
    var rules: String?

    var testDescription: String { name }
}

private let stampHit = Hit(mark: "NIKE", name: "NIKE", matched: "N1KE", line: 1, field: "description", start: 0, end: 4,
                           method: .fuzzy, similarity: 0.875)

private let stampCases: [StampCase] = {
    var ownHashes = Decision(parcel: "P3", decision: .clear, score: 0, hits: [], suppressed: [], reasons: [])
    ownHashes.register = "sha256:own"
    ownHashes.rules = "sha256:own-rules"
    return [
        StampCase(name: "a clear decision with nothing found",
                  decision: Decision(parcel: "P1", decision: .clear, score: 0, hits: [], suppressed: [], reasons: []),
                  register: "sha256:" + String(repeating: "ab", count: 32), rules: "sha256:" + String(repeating: "c", count: 64)),
        StampCase(name: "a flagged decision with hits and reasons",
                  decision: Decision(parcel: "P2", decision: .inspect, score: 0.9, hits: [stampHit], suppressed: [],
                                     reasons: [Reason(rule: "mark-fuzzy", weight: 0.66, detail: "line 1 names NIKE")]),
                  register: "sha256:r", rules: "sha256:s"),
        StampCase(name: "a clear decision with only a ruled-out hit",
                  decision: Decision(parcel: "P4", decision: .clear, score: 0, hits: [],
                                     suppressed: [SuppressedHit(hit: stampHit, reason: "licensee", detail: "d")],
                                     reasons: []),
                  register: "sha256:r", rules: "sha256:s"),
        StampCase(name: "a clear decision with a reason and no hit",
                  decision: Decision(parcel: "P5", decision: .clear, score: 0.1, hits: [], suppressed: [],
                                     reasons: [Reason(rule: "slang", weight: 0.1, detail: "slang \"A\"")]),
                  register: "sha256:r", rules: nil),
        StampCase(name: "the decision's own hashes replaced, missing ones written as null",
                  decision: ownHashes, register: nil, rules: nil),
        StampCase(name: "hashes that need escaping", decision: ownHashes, register: "a\"b\\c\u{2028}", rules: "\n"),
    ]
}()

@Test("A decision appended with a stamp is the line of the decision stamped with its hashes", arguments: stampCases)
func stampedLineMatchesStampedDecision(_ testCase: StampCase) {
    var stamped = testCase.decision
    stamped.register = testCase.register
    stamped.rules = testCase.rules
    var expected: [UInt8] = Array("previous line".utf8)
    var bytes = expected
    DecisionJSON.append(stamped, to: &expected)
    DecisionJSON.append(testCase.decision, stamp: DecisionJSON.Stamp(register: testCase.register, rules: testCase.rules),
                        to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
}

@Test("Each verdict is written as its contract name", arguments: Verdict.allCases)
func verdictIsWrittenByName(_ verdict: Verdict) {
    let decision = Decision(parcel: "P", decision: verdict, score: 0, hits: [], suppressed: [], reasons: [])
    #expect(DecisionJSON.line(decision).contains(",\"decision\":\"\(verdict.rawValue)\",\"score\":"))
}
