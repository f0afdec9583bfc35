import Glibc
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `POST /v1/screen` on the event loop that read it, in the channel's pipeline ahead of Hummingbird's
/// router; every other request passes on to the router untouched.
///
/// Hummingbird's way to a handler and back (the body as an async sequence, a task, the router, the middleware,
/// the response writer) cost three times the screening of a one-parcel request (README › Service › Load). This
/// handler does what the route and `ServiceMiddleware` do for the endpoint, through the same functions
/// (`tryAcquireSlot`, `screened(_:)`, `ServiceResponse`, `metrics.record`), and adds the Content-Length, Date
/// and Server fields Hummingbird adds. It is installed only when nothing is recorded: with `--db` the route
/// awaits the case book's commit.
///
/// It takes a request only when no other request of the connection is under way (one passed on is, until its
/// response's end is written), so that pipelined answers keep their order; only when the body's declared length
/// is at most `largestBody`, because the screening holds the loop's other connections (a big batch, or a body of
/// unknown length, goes to the router, whose handlers run on the concurrency pool); and not with `Expect` or a
/// `Connection` field other than keep-alive. A graceful shutdown's quiesce event that comes while it reads a
/// request is held until that request is answered: Hummingbird's connection handler behind it does not see the
/// request and would close the connection at once.
final class ScreenFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A request this handler is reading.
    private struct Taken {
        var start: ContinuousClock.Instant
        /// Why it is refused (no slot was taken), or nil when it holds a slot.
        var refusal: ScreeningService.SlotRefusal?
        var body: ByteBuffer
        var tooLarge: Bool
    }

    /// The largest body answered here: 4 KiB, about 20 one-item parcels, under a millisecond of screening.
    static let largestBody = 4 * 1_024

    private let service: ScreeningService
    private var taken: Taken?
    /// Whether the parts being read belong to a request passed on.
    private var passing = false
    /// Requests passed on whose response has not ended yet.
    private var passedOn = 0
    /// Whether a quiesce event came while a request was being read here (passed on after its answer).
    private var quiesceHeld = false
    private var dateSecond = -1
    private var dateText = ""

    init(service: ScreeningService) {
        self.service = service
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if passedOn == 0, let length = Self.takenLength(head) {
                take(declaring: length, context: context)
            } else {
                passedOn += 1
                passing = true
                context.fireChannelRead(data)
            }
        case .body(var chunk):
            guard !passing, var request = taken else { return context.fireChannelRead(data) }
            taken = nil   // so the buffer below is not shared while it grows
            if !request.tooLarge, request.refusal == nil {   // a refused request's body is not read
                if request.body.readableBytes + chunk.readableBytes > service.configuration.maximumBodyBytes {
                    request.tooLarge = true
                    request.body.clear()
                } else {
                    request.body.writeBuffer(&chunk)
                }
            }
            taken = request
        case .end:
            guard !passing, let request = taken else {
                passing = false
                return context.fireChannelRead(data)
            }
            taken = nil
            answer(request, context: context)
            if quiesceHeld {
                quiesceHeld = false
                context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, taken != nil {
            quiesceHeld = true
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), passedOn > 0 { passedOn -= 1 }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        releaseTaken()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        releaseTaken()
    }

    /// The length of the body `head` declares when it is a request this handler answers itself, else nil.
    ///
    /// One pass over the fields: a lookup by name is a pass of its own (~4k instructions for Content-Length).
    static func takenLength(_ head: HTTPRequest) -> Int? {
        guard head.method == .post, let path = head.path else { return nil }
        let route = path.utf8.firstIndex(of: UInt8(ascii: "?")).map { path[..<$0] } ?? path[...]
        guard route == "/v1/screen" else { return nil }
        var length: Int?
        for field in head.headerFields {
            switch field.name {
            case .contentLength:
                guard length == nil, let value = Int(field.value), value >= 0 else { return nil }
                length = value
            case .expect, .transferEncoding:
                return nil
            case .connection where field.value.lowercased() != "keep-alive":
                return nil
            default:
                continue
            }
        }
        guard let length, length <= largestBody else { return nil }
        return length
    }

    private func take(declaring length: Int, context: ChannelHandlerContext) {
        let tooLarge = length > service.configuration.maximumBodyBytes
        // The slot is taken when the request starts, as the middleware takes it before the handler reads the body.
        taken = Taken(start: .now, refusal: service.tryAcquireSlot(),
                      body: context.channel.allocator.buffer(capacity: tooLarge ? 0 : length), tooLarge: tooLarge)
    }

    private func answer(_ request: Taken, context: ChannelHandlerContext) {
        let response: ServiceResponse
        if let refusal = request.refusal {
            response = ServiceResponse.refused(refusal)
        } else {
            if request.tooLarge {
                response = ServiceResponse.tooLarge(limit: service.configuration.maximumBodyBytes)
            } else {
                var body = request.body
                response = service.screened(body.readBytes(length: body.readableBytes) ?? []).answer
            }
            service.releaseSlot()
        }
        var fields = response.headers
        fields[.contentLength] = String(response.body.count)
        fields[.date] = date()
        fields[.server] = ScreeningService.serverName
        let elapsed = ContinuousClock.now - request.start
        service.metrics.record(route: .screen, status: response.status.code,
                               nanoseconds: UInt64(elapsed.wholeNanoseconds))
        context.write(wrapOutboundOut(.head(HTTPResponse(status: response.status, headerFields: fields))),
                      promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Gives back the slot of a request that ends unanswered (the connection closed while its body came).
    private func releaseTaken() {
        if let request = taken, request.refusal == nil { service.releaseSlot() }
        taken = nil
    }

    /// The Date field (IMF-fixdate, RFC 9110 §5.6.7), formatted once a second.
    private func date() -> String {
        var now = time(nil)
        if now != dateSecond {
            var parts = tm()
            gmtime_r(&now, &parts)
            var text = [CChar](repeating: 0, count: 40)
            let count = strftime(&text, text.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
            dateText = String(decoding: text[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            dateSecond = now
        }
        return dateText
    }
}
