import HTTPTypes
import Hummingbird

extension ScreeningService {
    /// The request's whole body, or nil when it is over `limit` bytes (by Content-Length, or once collected).
    func collectBody(_ request: Request, limit: Int) async throws -> [UInt8]? {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { return nil }
        var collected = ByteBuffer()
        for try await chunk in request.body {
            if collected.readableBytes + chunk.readableBytes > limit { return nil }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        return collected.readBytes(length: collected.readableBytes) ?? []
    }
}
