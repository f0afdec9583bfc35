import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MarkgateCore
import MarkgateIO
@testable import MarkgateServer
import MarkgateTestSupport

func fixture(_ path: String) -> String { packageRoot.appendingPathComponent(path).path }

/// A service over the shipped register, rules and HS table (or `rulesPath`), with small limits for tests.
func makeService(rulesPath: String = fixture("Rules/rules.yaml"), adminToken: String? = "s3cret",
                 maximumBodyBytes: Int = 64 * 1024, maximumBatch: Int = 5,
                 maximumInflight: Int = 8) throws -> ScreeningService {
    let configuration = ServerConfiguration(
        registerPath: fixture("Rules/register.yaml"), rulesPath: rulesPath, hsTablePath: fixture("Rules/hs-nice.yaml"),
        adminToken: adminToken, maximumBodyBytes: maximumBodyBytes, maximumBatch: maximumBatch,
        maximumInflight: maximumInflight)
    let snapshot = try ScreeningSetup.Snapshot.load(registerPath: configuration.registerPath,
                                                    rulesPath: configuration.rulesPath,
                                                    hsTablePath: configuration.hsTablePath)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return ScreeningService(setup: ScreeningSetup(snapshot), configuration: configuration, logger: logger)
}

/// How a test's requests reach the service.
enum Way: String, CaseIterable, CustomStringConvertible, Sendable {
    /// Hummingbird's router alone, no socket.
    case router
    /// The application `markgate serve` runs, on a loopback socket: `POST /v1/screen` is answered by
    /// `ScreenFastPath` (when the service has no case book), everything else by the router.
    case live

    var description: String { rawValue }
}

/// Runs `body` with a test client of the service, through the router (no socket) or, `.live`, through the
/// application `markgate serve` runs, on a loopback port of its own.
func withClient<R>(_ service: ScreeningService, way: Way = .router,
                   _ body: @escaping @Sendable (any TestClientProtocol) async throws -> R) async throws -> R {
    switch way {
    case .router:
        let app = Application(router: service.buildRouter())
        return try await app.test(.router) { client in try await body(client) }
    case .live:
        let app = service.buildApplication(address: .hostname("127.0.0.1", port: 0))
        return try await app.test(.live) { client in try await body(client) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
}

/// The decision lines `markgate screen` would write for `records`, stamped with `snapshot`'s hashes.
func expectedLines(_ records: some Sequence<ManifestRecord>, snapshot: ScreeningSetup.Snapshot) -> [String] {
    records.map { record in
        switch record {
        case .parcel(let parcel, _): DecisionJSON.line(snapshot.stamped(snapshot.screener.screen(parcel)))
        case .error(let error): DecisionJSON.line(error)
        }
    }
}

let nikeParcel = """
    {"parcel_id":"P1","items":[{"description":"NIKE running shoes","hs_code":"640411","unit_price":19.9,\
    "currency":"USD"}]}
    """

extension SchedulingLagMonitor {
    /// Feeds source 0 a tick `late` microseconds late now and another `interval` later: a lag held long enough to
    /// count as sustained, or (on time) long enough to stop counting. Deterministic: the times are given, not
    /// waited for.
    func hold(lateByMicroseconds late: Int) {
        let now = nowMicroseconds()
        record(lateByMicroseconds: late, source: 0, at: now)
        record(lateByMicroseconds: late, source: 0, at: now + interval.wholeMicroseconds)
    }
}
