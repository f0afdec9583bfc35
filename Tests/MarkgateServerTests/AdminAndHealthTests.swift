import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarkgateServer
import Testing

@Suite struct AdminAndHealthTests {
    struct Refusal: CustomStringConvertible, Sendable {
        var name: String
        var authorization: String?
        var description: String { name }
    }

    @Test(arguments: [
        Refusal(name: "no token", authorization: nil),
        Refusal(name: "wrong token", authorization: "Bearer s3cre7"),
        Refusal(name: "token as a prefix", authorization: "Bearer s3cret-and-more"),
        Refusal(name: "not a bearer", authorization: "Basic s3cret"),
    ])
    func reloadRefusesAMissingOrWrongToken(_ refusal: Refusal) async throws {
        let service = try makeService()
        try await withClient(service) { client in
            var headers: HTTPFields = [:]
            if let authorization = refusal.authorization { headers[.authorization] = authorization }
            let response = try await client.execute(uri: "/v1/admin/reload", method: .post, headers: headers)
            #expect(response.status == .unauthorized)
        }
        #expect(service.setup.current.generation == 0)
    }

    @Test func withoutATokenConfiguredTheAdminEndpointIsOff() async throws {
        let service = try makeService(adminToken: nil)
        try await withClient(service) { client in
            let response = try await client.execute(uri: "/v1/admin/reload", method: .post,
                                                    headers: [.authorization: "Bearer "])
            #expect(response.status == .notFound)
        }
    }

    @Test func reloadSwapsInNewRulesAndABadFileKeepsTheOldSet() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-serve-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("rules.yaml")
        let original = try String(contentsOfFile: fixture("Rules/rules.yaml"), encoding: .utf8)
        try original.write(to: rules, atomically: true, encoding: .utf8)
        let service = try makeService(rulesPath: rules.path)
        let oldHash = service.setup.current.rulesHash
        let auth: HTTPFields = [.authorization: "Bearer s3cret"]
        try await withClient(service) { client in
            try (original + "\n# edited\n").write(to: rules, atomically: true, encoding: .utf8)
            let good = try await client.execute(uri: "/v1/admin/reload", method: .post, headers: auth)
            #expect(good.status == .ok)
            let newHash = service.setup.current.rulesHash
            #expect(newHash != oldHash)
            let answer = try #require(good.json as? [String: Any])
            #expect(answer["rules"] as? String == newHash)
            #expect(answer["generation"] as? Int == 1)

            try "review: 0.5\ninspect: 0.8\nweights:\n  slang: 3\n".write(to: rules, atomically: true, encoding: .utf8)
            let bad = try await client.execute(uri: "/v1/admin/reload", method: .post, headers: auth)
            #expect(bad.status == .unprocessableContent)
            let rejected = try #require(bad.json as? [String: Any])
            let diagnostics = try #require(rejected["diagnostics"] as? [[String: Any]])
            #expect(!diagnostics.isEmpty)
            #expect(diagnostics.allSatisfy { ($0["file"] as? String) == rules.path && ($0["line"] as? Int ?? 0) >= 1 })
            #expect(rejected["rules"] as? String == newHash)

            let screened = try await client.execute(uri: "/v1/screen", method: .post,
                                                    body: ByteBuffer(string: nikeParcel))
            #expect(screened.status == .ok)
            #expect(screened.text.contains("\"rules\":\"\(newHash)\""))
            #expect(service.setup.current.generation == 1)
        }
    }

    @Test func healthReadinessAndMetrics() async throws {
        let service = try makeService()
        let snapshot = service.setup.current
        service.lagMonitor.record(lateByMicroseconds: 1_500)   // one tick 1.5 ms late
        try await withClient(service) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.text.contains(snapshot.rulesHash))
            _ = try await client.execute(uri: "/v1/screen", method: .post, body: ByteBuffer(string: nikeParcel))
            _ = try await client.execute(uri: "/v1/screen", method: .post, body: ByteBuffer(string: "{"))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            for line in [
                "markgate_requests_total{route=\"/v1/screen\",status=\"200\"} 1",
                "markgate_requests_total{route=\"/v1/screen\",status=\"400\"} 1",
                "markgate_request_duration_seconds_count{route=\"/v1/screen\"} 2",
                "markgate_request_duration_seconds_bucket{route=\"/v1/screen\",le=\"+Inf\"} 2",
                "markgate_decisions_total{decision=\"inspect\"} 1",
                "markgate_errors_total 0",
                "markgate_inflight_requests 0",
                "markgate_scheduling_lag_sustained_seconds 0.0",
                "markgate_shed_share 0.0",
                "markgate_scheduling_lag_max_seconds 0.0015",
                "markgate_register_info{hash=\"\(snapshot.registerHash)\"} 1",
                "markgate_rules_info{hash=\"\(snapshot.rulesHash)\",generation=\"0\"} 1",
            ] {
                #expect(metrics.text.contains(line + "\n"), "\(line)")
            }
        }
    }
}
