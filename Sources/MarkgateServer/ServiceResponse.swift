import HTTPTypes
import Hummingbird
import MarkgateIO

/// One of the service's answers: status, header fields and a JSON body, built once for both ways a request
/// comes in (Hummingbird's router, `response`; `ScreenFastPath` on the event loop, as parts).
struct ServiceResponse {
    static let rulesHeader: HTTPField.Name = HTTPField.Name("X-Markgate-Rules")!
    static let registerHeader = HTTPField.Name("X-Markgate-Register")!
    static let generationHeader = HTTPField.Name("X-Markgate-Generation")!

    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    /// The answer as Hummingbird's response (it adds Content-Length, Date and Server).
    var response: Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A JSON body with the screening set's hashes in headers.
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok,
                     snapshot: ScreeningSetup.Snapshot? = nil) -> ServiceResponse {
        ServiceResponse(status: status, headers: jsonFields(snapshot: snapshot), body: bytes)
    }

    /// The fields of a JSON answer: its content type, and the screening set's hashes and generation.
    static func jsonFields(snapshot: ScreeningSetup.Snapshot?) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let snapshot {
            headers[rulesHeader] = snapshot.rulesHash
            headers[registerHeader] = snapshot.registerHash
            headers[generationHeader] = String(snapshot.generation)
        }
        return headers
    }

    /// `{"error": message}` plus extra members already rendered as JSON (`"line":3`).
    static func error(_ status: HTTPResponse.Status, _ message: String, extra: [(String, String)] = [],
                      headers: HTTPFields = [:]) -> ServiceResponse {
        var text = "{\"error\":" + DecisionJSON.string(message)
        for (key, value) in extra { text += ",\"\(key)\":\(value)" }
        text += "}"
        var response = json(Array(text.utf8), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// 400 for a body that is not JSON, with the place of the problem.
    static func malformed(_ error: JSONParcelBody.SyntaxError) -> ServiceResponse {
        Self.error(.badRequest, "malformed JSON: \(error)", extra: [
            ("line", String(error.line)), ("column", String(error.column)),
            ("message", DecisionJSON.string(error.message)),
        ])
    }

    /// 413 for a body over the limit.
    static func tooLarge(limit: Int) -> ServiceResponse {
        error(.contentTooLarge, "request body over \(limit) bytes", extra: [("limit", String(limit))])
    }

    /// 429 when every request slot is taken, 503 when the CPU is saturated: come back shortly.
    static func refused(_ refusal: ScreeningService.SlotRefusal) -> ServiceResponse {
        switch refusal {
        case .tooManyRequests:
            error(.tooManyRequests, "too many requests under way; retry shortly", headers: [.retryAfter: "1"])
        case .overloaded:
            error(.serviceUnavailable, "overloaded; retry shortly", headers: [.retryAfter: "1"])
        }
    }
}
