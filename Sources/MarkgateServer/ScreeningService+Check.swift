import Foundation
import HTTPTypes
import Hummingbird
import MarkgateCore
import MarkgateIO

extension ScreeningService {
    /// `POST /v1/check`: a seller's listing → its decision (contract §3) with a `messages` array of sentences
    /// for the seller. 400 for a body that is not JSON (with its line and column) or a bad field, 413 over the
    /// body limit.
    func check(_ request: Request) async throws -> ServiceResponse {
        guard let body = try await collectBody(request, limit: configuration.maximumBodyBytes) else {
            return ServiceResponse.tooLarge(limit: configuration.maximumBodyBytes)
        }
        if let syntax = JSONParcelBody.syntaxError(in: body) { return ServiceResponse.malformed(syntax) }
        let listing: ListingCheck
        do {
            listing = try JSONDecoder().decode(ListingCheck.self, from: Data(body))
        } catch {
            return ServiceResponse.error(.badRequest, "bad listing: \(Self.describe(error))")
        }
        if let problem = listing.problem { return ServiceResponse.error(.badRequest, "bad listing: \(problem)") }
        let snapshot = setup.current
        let decision = snapshot.stamped(snapshot.screener.screen(listing.parcel))
        metrics.record(decision.decision)
        var out: [UInt8] = []
        DecisionJSON.append(decision, to: &out)
        out.removeLast()   // the closing brace: the messages go in the same object
        out.append(contentsOf: ",\"messages\":[".utf8)
        for (index, message) in listing.messages(for: decision, register: snapshot.screener.register).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: DecisionJSON.string(message).utf8)
        }
        out.append(contentsOf: "]}".utf8)
        return ServiceResponse.json(out, snapshot: snapshot)
    }

    /// A decoding error in a sentence: which key, and what was wrong.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            let expected = type == String.self ? "a string" : type == Double.self ? "a number" : "\(type)"
            return "\"\(path)\" must be \(expected)"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
