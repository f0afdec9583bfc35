import Dispatch
import HTTPTypes
import Hummingbird
import MarkgateCore
import MarkgateIO

extension ScreeningService {
    /// `POST /v1/admin/reload`: reloads register, rules and HS table from their files, atomically.
    ///
    /// 404 when no admin token is configured, 401 without `Authorization: Bearer TOKEN` or with a wrong one;
    /// 200 with the new hashes and generation; 422 with every diagnostic when a file is bad (the old set keeps
    /// serving, and its hashes are in the answer).
    func reloadEndpoint(_ request: Request) async throws -> ServiceResponse {
        guard let token = configuration.adminToken else {
            return ServiceResponse.error(.notFound, "admin endpoints are disabled (no admin token configured)")
        }
        guard let given = request.headers[.authorization], given.hasPrefix("Bearer "),
              Self.constantTimeEqual(Array(given.utf8.dropFirst(7)), Array(token.utf8)) else {
            return ServiceResponse.error(.unauthorized, "missing or wrong bearer token",
                                         headers: [.wwwAuthenticate: "Bearer realm=\"markgate\""])
        }
        switch await reloadOffTheEventLoop(trigger: "http") {
        case .success(let snapshot):
            let text = "{\"status\":\"reloaded\",\"register\":\(DecisionJSON.string(snapshot.registerHash)),"
                + "\"rules\":\(DecisionJSON.string(snapshot.rulesHash)),\"generation\":\(snapshot.generation)}"
            return ServiceResponse.json(Array(text.utf8), snapshot: snapshot)
        case .failure(let error):
            let old = setup.current
            let diagnostics = error.diagnostics.map { diagnostic in
                "{\"file\":\(DecisionJSON.string(diagnostic.location.file)),\"line\":\(diagnostic.location.line),"
                    + "\"column\":\(diagnostic.location.column),"
                    + "\"kind\":\(DecisionJSON.string(diagnostic.kind.rawValue)),"
                    + "\"message\":\(DecisionJSON.string(diagnostic.message)),"
                    + "\"text\":\(DecisionJSON.string(diagnostic.description))}"
            }
            let text = "{\"error\":\"reload rejected; the old set keeps serving\",\"diagnostics\":["
                + diagnostics.joined(separator: ",") + "],\"register\":\(DecisionJSON.string(old.registerHash)),"
                + "\"rules\":\(DecisionJSON.string(old.rulesHash)),\"generation\":\(old.generation)}"
            return ServiceResponse.json(Array(text.utf8), status: .unprocessableContent, snapshot: old)
        }
    }

    /// `reload(trigger:)` on a low-priority thread of its own (`BackgroundThread`), awaited: building a
    /// register's matcher takes a second or more, which must neither hold a handler's thread (an event loop with
    /// `--handlers-on-event-loops`, whose other connections would wait) nor take the cores from the handlers.
    func reloadOffTheEventLoop(trigger: String) async -> Result<ScreeningSetup.Snapshot, ScreeningSetupError> {
        await BackgroundThread.run { self.reload(trigger: trigger) }
    }

    /// Whether two byte strings are equal, in time that depends on their lengths only.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
