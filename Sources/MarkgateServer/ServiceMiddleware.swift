import HTTPTypes
import Hummingbird
import MarkgateIO

/// Counts every request (route, status, latency) and sheds load on `/v1/screen` and `/v1/check`: with
/// `maximumInflight` requests already under way the answer is 429, and while the scheduling lag stays over
/// `maximumLag` (for the lag interval) it is 503 for a share of requests that grows with the lag
/// (`SchedulingLagMonitor.shedsNext()`), both with `Retry-After: 1` at once, without reading the body.
/// (`/v1/screen/stream` takes its slot itself, for as long as its body streams; most `/v1/screen` requests of
/// a served application are answered by `ScreenFastPath`, which does the same.) Errors thrown below become
/// their HTTP answers here, so they are counted too.
struct ServiceMiddleware<Context: RequestContext>: RouterMiddleware {
    let service: ScreeningService

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = ServerMetrics.Route(path: request.uri.path)
        let limited = route == .screen || route == .check
        var response: Response
        if limited, let refusal = service.tryAcquireSlot() {
            response = ServiceResponse.refused(refusal).response
        } else {
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                response = (try? error.response(from: request, context: context))
                    ?? ServiceResponse.error(error.status, "\(error.status)").response
            } catch {
                service.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
                response = ServiceResponse.error(.internalServerError, "internal error").response
            }
            if limited { service.releaseSlot() }
        }
        let elapsed = ContinuousClock.now - start
        service.metrics.record(route: route, status: response.status.code,
                               nanoseconds: UInt64(elapsed.wholeNanoseconds))
        return response
    }
}
