import HTTPTypes
import Hummingbird
import Logging
import MarkgateIO

extension ScreeningService {
    /// The service's routes, behind the counting and load-shedding middleware. Tests drive it with
    /// `Application(router:).test(.router)`, no socket.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ServiceMiddleware(service: self))
        router.post("/v1/screen") { request, _ in try await self.screen(request).response }
        router.post("/v1/check") { request, _ in try await self.check(request).response }
        router.post("/v1/screen/stream") { request, _ in self.stream(request) }
        router.post("/v1/admin/reload") { request, _ in try await self.reloadEndpoint(request).response }
        router.get("/healthz") { _, _ in ServiceResponse.json(Array("{\"status\":\"ok\"}".utf8)).response }
        router.get("/readyz") { _, _ in
            let snapshot = self.setup.current
            let text = "{\"status\":\"ready\",\"register\":\(DecisionJSON.string(snapshot.registerHash)),"
                + "\"rules\":\(DecisionJSON.string(snapshot.rulesHash)),\"generation\":\(snapshot.generation)}"
            return ServiceResponse.json(Array(text.utf8), snapshot: snapshot).response
        }
        router.get("/metrics") { _, _ in
            let snapshot = self.setup.current
            let text = self.metrics.render(registerHash: snapshot.registerHash, rulesHash: snapshot.rulesHash,
                                           generation: snapshot.generation, lag: self.lagMonitor.lag,
                                           sustainedLag: self.lagMonitor.sustainedLag,
                                           peakLag: self.lagMonitor.peakLag,
                                           shedShare: self.lagMonitor.shedShare)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// The application listening on the configured host and port (or `address`), logging through `logger`. Run
    /// it with `runService()`: SIGTERM and SIGINT shut it down gracefully (requests under way finish).
    ///
    /// Without a case book, `POST /v1/screen` is answered by `ScreenFastPath` in each connection's pipeline.
    public func buildApplication(address: BindAddress? = nil) -> some ApplicationProtocol {
        let fastPath = caseBook == nil
        return Application(
            router: buildRouter(),
            server: .http1(configuration: .init(
                additionalChannelHandlers: fastPath ? [ScreenFastPath(service: self)] : [])),
            configuration: ApplicationConfiguration(
                address: address ?? .hostname(configuration.host, port: configuration.port),
                serverName: Self.serverName, backlog: 1024),
            logger: logger
        )
    }

    /// The Server field of every answer.
    static let serverName = "markgate"
}
