import HTTPTypes
import MarkgateIO
@testable import MarkgateServer
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

/// `ScreenFastPath` alone in a channel: which requests it answers, which it passes on, and in what order.
@Suite struct ScreenFastPathTests {
    /// A request as it comes out of the HTTP codec.
    struct Incoming: CustomStringConvertible, Sendable {
        var name: String
        var method: HTTPRequest.Method = .post
        var path = "/v1/screen"
        var fields: HTTPFields = [:]
        /// The body; its length goes in Content-Length unless `fields` has one or a Transfer-Encoding.
        var body = nikeParcel
        var taken: Bool
        var description: String { name }

        var head: HTTPRequest {
            var fields = fields
            if !fields.contains(.contentLength), !fields.contains(.transferEncoding) {
                fields[.contentLength] = String(body.utf8.count)
            }
            return HTTPRequest(method: method, scheme: nil, authority: "localhost", path: path, headerFields: fields)
        }
    }

    @Test(arguments: [
        Incoming(name: "POST /v1/screen", taken: true),
        Incoming(name: "with a query", path: "/v1/screen?trace=1", taken: true),
        Incoming(name: "keep-alive", fields: [.connection: "keep-alive"], taken: true),
        Incoming(name: "Connection: close", fields: [.connection: "close"], taken: false),
        Incoming(name: "Expect: 100-continue", fields: [.expect: "100-continue"], taken: false),
        Incoming(name: "GET /v1/screen", method: .get, taken: false),
        Incoming(name: "POST /v1/screen/stream", path: "/v1/screen/stream", taken: false),
        Incoming(name: "POST /v1/screening", path: "/v1/screening", taken: false),
        Incoming(name: "POST /v1/check", path: "/v1/check", taken: false),
        Incoming(name: "GET /healthz", method: .get, path: "/healthz", taken: false),
        Incoming(name: "a body of 4 KiB", body: Self.batch(bytes: 4 * 1_024), taken: true),
        Incoming(name: "a body of 4 KiB and one byte", body: Self.batch(bytes: 4 * 1_024 + 1), taken: false),
        Incoming(name: "no Content-Length (chunked)", fields: [.transferEncoding: "chunked"], taken: false),
    ])
    func takesOnlyPlainScreenRequests(_ incoming: Incoming) throws {
        let channel = EmbeddedChannel(handler: ScreenFastPath(service: try makeService()))
        try send(incoming.head, body: incoming.body, to: channel)
        let passed = try forwarded(from: channel)
        let answered = try answers(from: channel)
        if incoming.taken {
            #expect(passed.isEmpty)
            #expect(answered.map(\.status) == [.ok])
        } else {
            #expect(passed.count == 3)   // head, body, end: all passed on
            #expect(answered.isEmpty)
        }
    }

    @Test func aScreenRequestBehindOnePassedOnWaitsItsTurnSoAnswersKeepTheirOrder() throws {
        let channel = EmbeddedChannel(handler: ScreenFastPath(service: try makeService()))
        let health = HTTPRequest(method: .get, scheme: nil, authority: "localhost", path: "/healthz")
        try send(health, body: nil, to: channel)
        try send(Incoming(name: "screen", taken: true).head, body: nikeParcel, to: channel)
        // The router has not answered /healthz yet: the screen request goes the same way, behind it.
        #expect(try forwarded(from: channel).count == 5)
        #expect(try answers(from: channel).isEmpty)
        // The router answers both; then the next screen request is the fast path's again.
        for _ in 0..<2 {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
        #expect(try answers(from: channel).count == 2)
        try send(Incoming(name: "screen", taken: true).head, body: nikeParcel, to: channel)
        #expect(try forwarded(from: channel).isEmpty)
        #expect(try answers(from: channel).map(\.status) == [.ok])
    }

    @Test func aConnectionClosedMidBodyGivesItsSlotBack() throws {
        let service = try makeService()
        let channel = EmbeddedChannel(handler: ScreenFastPath(service: service))
        try channel.writeInbound(HTTPRequestPart.head(Incoming(name: "screen", taken: true).head))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "[")))   // the first of the body's bytes
        #expect(service.metrics.inflight.load(ordering: .relaxed) == 1)
        _ = try channel.finish()
        #expect(service.metrics.inflight.load(ordering: .relaxed) == 0)
    }

    @Test func aBodyInManyChunksIsScreenedWhole() throws {
        let service = try makeService()
        let channel = EmbeddedChannel(handler: ScreenFastPath(service: service))
        try channel.writeInbound(HTTPRequestPart.head(Incoming(name: "screen", taken: true).head))
        for byte in nikeParcel.utf8 {
            try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(bytes: [byte])))
        }
        try channel.writeInbound(HTTPRequestPart.end(nil))
        let answered = try answers(from: channel)
        let snapshot = service.setup.current
        let expected = expectedLines(try JSONParcelBody.parse(Array(nikeParcel.utf8)).records, snapshot: snapshot)
        #expect(answered.map(\.status) == [.ok])
        #expect(answered.first?.body == expected[0])
        #expect(service.metrics.inflight.load(ordering: .relaxed) == 0)
    }

    @Test func aShutdownAskedForMidRequestWaitsForItsAnswer() throws {
        let events = UserEvents()
        let channel = EmbeddedChannel(handlers: [ScreenFastPath(service: try makeService()), events])
        try channel.writeInbound(HTTPRequestPart.head(Incoming(name: "screen", taken: true).head))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(events.quiesced == 0)   // Hummingbird's handler would close the connection now
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: nikeParcel)))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try answers(from: channel).map(\.status) == [.ok])
        #expect(events.quiesced == 1)
        // Between requests it passes at once.
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(events.quiesced == 2)
    }

    /// Counts the quiesce events that reach the handler after `ScreenFastPath`.
    final class UserEvents: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPRequestPart
        var quiesced = 0

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is ChannelShouldQuiesceEvent { quiesced += 1 }
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// A batch of one-item parcels padded with spaces to exactly `bytes` bytes.
    static func batch(bytes: Int) -> String {
        let parcels = "[" + Array(repeating: nikeParcel, count: 4).joined(separator: ",") + "]"
        return parcels + String(repeating: " ", count: bytes - parcels.utf8.count)
    }

    /// An answer as written to the channel: its head's status and fields, and its body.
    struct Answer {
        var status: HTTPResponse.Status
        var fields: HTTPFields
        var body: String
    }

    private func send(_ head: HTTPRequest, body: String?, to channel: EmbeddedChannel) throws {
        try channel.writeInbound(HTTPRequestPart.head(head))
        if let body { try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: body))) }
        try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    /// The parts passed on to the router.
    private func forwarded(from channel: EmbeddedChannel) throws -> [HTTPRequestPart] {
        var parts: [HTTPRequestPart] = []
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { parts.append(part) }
        return parts
    }

    /// The answers written, each from its head to its end.
    private func answers(from channel: EmbeddedChannel) throws -> [Answer] {
        var answers: [Answer] = []
        while let part = try channel.readOutbound(as: HTTPResponsePart.self) {
            switch part {
            case .head(let head): answers.append(Answer(status: head.status, fields: head.headerFields, body: ""))
            case .body(let buffer): answers[answers.count - 1].body += String(buffer: buffer)
            case .end: break
            }
        }
        return answers
    }
}
