import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarkgateCore
import MarkgateIO
import MarkgateServer
import Testing

@Suite struct ScreenEndpointTests {
    @Test(arguments: Way.allCases)
    func oneParcelGetsItsDecisionStampedWithTheSetInForce(_ way: Way) async throws {
        let service = try makeService()
        let snapshot = service.setup.current
        try await withClient(service, way: way) { client in
            let response = try await client.execute(uri: "/v1/screen", method: .post,
                                                    body: ByteBuffer(string: nikeParcel))
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("X-Markgate-Rules")!] == snapshot.rulesHash)
            let records = try JSONParcelBody.parse(Array(nikeParcel.utf8)).records
            let expected = expectedLines(records, snapshot: snapshot)
            #expect(response.text == expected[0])
            #expect(response.text.contains("\"decision\":\"inspect\""))
            #expect(response.headers[.contentLength] == String(response.body.readableBytes))
            if way == .live {   // what Hummingbird adds to every answer, and ScreenFastPath too
                #expect(response.headers[.server] == "markgate")
                #expect(response.headers[.date]?.hasSuffix(" GMT") == true)
            }
        }
    }

    @Test(arguments: Way.allCases)
    func aBatchKeepsOrderAndABadParcelGetsItsErrorRecordInPlace(_ way: Way) async throws {
        let service = try makeService()
        let body = """
            [\(nikeParcel),
             {"parcel_id":"P2","items":[]},
             {"parcel_id":"P3","items":[{"description":"apple juice 1L","hs_code":"200971"}]}]
            """
        try await withClient(service, way: way) { client in
            let response = try await client.execute(uri: "/v1/screen", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let decisions = try #require(response.json as? [[String: Any]])
            #expect(decisions.count == 3)
            #expect(decisions[0]["decision"] as? String == "inspect")
            #expect(decisions[1]["parcel"] as? String == "P2")
            #expect(decisions[1]["error"] as? String == "line 2, column 28: empty items: expected at least one item")
            #expect(decisions[2]["decision"] as? String == "clear")
        }
    }

    struct BadBody: CustomStringConvertible, Sendable {
        var name: String
        var body: String
        var status: HTTPResponse.Status
        /// Expected in the answer's text.
        var says: String
        var description: String { name }
    }

    @Test(arguments: [
        BadBody(name: "not JSON", body: "{\"parcel_id\":\"P1\",\n \"items\": [}", status: .badRequest,
                says: "\"line\":2,\"column\":12"),
        BadBody(name: "trailing garbage", body: "\(nikeParcel) x", status: .badRequest, says: "expected the end"),
        BadBody(name: "empty", body: "", status: .badRequest, says: "empty body"),
        BadBody(name: "a string", body: "\"P1\"", status: .badRequest, says: "expected a parcel object"),
        BadBody(name: "batch over 5", body: "[" + Array(repeating: nikeParcel, count: 6).joined(separator: ",") + "]",
                status: .badRequest, says: "batch over 5 parcels"),
        BadBody(name: "body over 64 KiB", body: "[" + String(repeating: " ", count: 70_000) + "]",
                status: .contentTooLarge, says: "request body over 65536 bytes"),
    ], Way.allCases)
    func badBodiesAreRefusedWithTheirReason(_ bad: BadBody, _ way: Way) async throws {
        let service = try makeService()
        try await withClient(service, way: way) { client in
            let response = try await client.execute(uri: "/v1/screen", method: .post,
                                                    body: ByteBuffer(string: bad.body))
            #expect(response.status == bad.status)
            #expect(response.text.contains(bad.says), "\(response.text)")
        }
    }

    @Test(arguments: Way.allCases)
    func aSaturatedCPUMeans503WithRetryAfterAndServesAgainOnceTheLagFalls(_ way: Way) async throws {
        let service = try makeService()
        // Ticks 50 ms late for the whole interval, as a saturated CPU makes them (deterministic: fed, not timed).
        service.lagMonitor.hold(lateByMicroseconds: 50_000)
        try await withClient(service, way: way) { client in
            for uri in ["/v1/screen", "/v1/check", "/v1/screen/stream"] {
                let response = try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: nikeParcel))
                #expect(response.status == .serviceUnavailable, "\(uri)")
                #expect(response.headers[.retryAfter] == "1")
            }
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            // Ticks on time for the interval end it.
            service.lagMonitor.hold(lateByMicroseconds: 100)
            let response = try await client.execute(uri: "/v1/screen", method: .post,
                                                    body: ByteBuffer(string: nikeParcel))
            #expect(response.status == .ok)
        }
        #expect(service.metrics.inflight.load(ordering: .relaxed) == 0)
    }

    @Test(arguments: Way.allCases)
    func aLagHalfTheThresholdOverItShedsEveryOtherRequestAndAnswersTheRest(_ way: Way) async throws {
        let service = try makeService()
        // Ticks 7.5 ms late for the interval against the 5 ms threshold: half the requests are shed, every other one.
        service.lagMonitor.hold(lateByMicroseconds: 7_500)
        try await withClient(service, way: way) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<10 {
                let response = try await client.execute(uri: "/v1/screen", method: .post,
                                                        body: ByteBuffer(string: nikeParcel))
                statuses.append(response.status)
            }
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains("\nmarkgate_shed_share 0.5\n"), "\(metrics.text)")
            let alternating: [HTTPResponse.Status] = (0..<10).map { $0 % 2 == 0 ? .ok : .serviceUnavailable }
            #expect(statuses == alternating)
        }
        #expect(service.metrics.inflight.load(ordering: .relaxed) == 0)
    }

    @Test(arguments: Way.allCases)
    func everySlotTakenMeans429WithRetryAfterAndFreeingOneServesAgain(_ way: Way) async throws {
        let service = try makeService(maximumInflight: 2)
        // Hold both slots as two requests under way would (deterministic: no timing).
        #expect(service.tryAcquireSlot() == nil)
        #expect(service.tryAcquireSlot() == nil)
        #expect(service.tryAcquireSlot() == .tooManyRequests)
        try await withClient(service, way: way) { client in
            for uri in ["/v1/screen", "/v1/check", "/v1/screen/stream"] {
                let response = try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: nikeParcel))
                #expect(response.status == .tooManyRequests, "\(uri)")
                #expect(response.headers[.retryAfter] == "1")
            }
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            service.releaseSlot()
            let response = try await client.execute(uri: "/v1/screen", method: .post,
                                                    body: ByteBuffer(string: nikeParcel))
            #expect(response.status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains("markgate_requests_total{route=\"/v1/screen\",status=\"429\"} 1"))
        }
        service.releaseSlot()
        #expect(service.metrics.inflight.load(ordering: .relaxed) == 0)
    }
}
