import MarkgateCore
@testable import MarkgateIO
import Testing

/// Request bodies of `POST /v1/screen`: one parcel object or an array, read by the JSON Lines parser.
@Suite struct JSONParcelBodyTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var body: String
        /// `P1`-style ids for parcels, `!message` for error records, in order; or `line:column` of a syntax error.
        var expected: [String]
        var isBatch = false
        var description: String { name }
    }

    static let parcel = #"{"parcel_id":"P1","items":[{"description":"NIKE shoes"}]}"#

    @Test(arguments: [
        Case(name: "one object", body: parcel, expected: ["P1"]),
        Case(name: "object over lines", body: "{\n \"parcel_id\": \"P9\",\n \"items\": [{\"description\": \"x\"}]\n}\n",
             expected: ["P9"]),
        Case(name: "array", body: "[\(parcel), \(parcel.replacingOccurrences(of: "P1", with: "P2"))]",
             expected: ["P1", "P2"], isBatch: true),
        Case(name: "empty array", body: " [ ] ", expected: [], isBatch: true),
        Case(name: "bad value in place", body: "[\(parcel),\n{\"parcel_id\":\"P2\",\"items\":[]}]",
             expected: ["P1", "!line 2, column 27: empty items: expected at least one item"], isBatch: true),
        Case(name: "non-object element", body: "[\(parcel), 7]",
             expected: ["P1", "!line 1, column 61: expected a parcel object"], isBatch: true),
        Case(name: "syntax error on line 2", body: "{\"parcel_id\":\"P1\",\n \"items\": [}", expected: ["2:12"]),
        Case(name: "trailing garbage", body: "\(parcel) ]", expected: ["1:59"]),
        Case(name: "column in scalars", body: "{\"parcel_id\":\"耐克\" \"items\"}", expected: ["1:19"]),
        Case(name: "empty body", body: "  ", expected: ["1:3"]),
    ])
    func bodies(_ test: Case) throws {
        do {
            let parsed = try JSONParcelBody.parse(Array(test.body.utf8))
            #expect(parsed.isBatch == test.isBatch)
            let got = parsed.records.map { record -> String in
                switch record {
                case .parcel(let parcel, _): return parcel.id
                case .error(let error): return "!" + error.description
                }
            }
            #expect(got == test.expected)
        } catch {
            guard case .syntax(let syntax) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(["\(syntax.line):\(syntax.column)"] == test.expected, "\(syntax)")
        }
    }

    @Test func aBatchOverTheLimitIsRefused() {
        let body = "[" + Array(repeating: Self.parcel, count: 4).joined(separator: ",") + "]"
        #expect(throws: JSONParcelBody.BodyError.tooManyParcels(limit: 3)) {
            try JSONParcelBody.parse(Array(body.utf8), maximumParcels: 3)
        }
        #expect((try? JSONParcelBody.parse(Array(body.utf8), maximumParcels: 4))?.records.count == 4)
    }

    @Test(arguments: [
        ("{\"a\": [1, 2]}", nil), ("{\"a\": [1, 2}", "1:12"), ("", "1:1"), ("1 2", "1:3"),
    ] as [(String, String?)])
    func syntaxCheck(_ body: String, _ expected: String?) {
        let error = JSONParcelBody.syntaxError(in: Array(body.utf8))
        #expect(error.map { "\($0.line):\($0.column)" } == expected)
    }
}
