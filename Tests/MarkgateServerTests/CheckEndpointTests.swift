import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarkgateServer
import Testing

@Suite struct CheckEndpointTests {
    @Test func aListingGetsItsDecisionAndSentencesForTheSeller() async throws {
        let service = try makeService()
        let body = """
            {"title":"CHANEL 香奈儿 bag","description":"new ch4nel shoulder bag","hs":"420221","price":20,
             "currency":"USD"}
            """
        try await withClient(service) { client in
            let response = try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let object = try #require(response.json as? [String: Any])
            #expect(object["decision"] as? String == "inspect")
            #expect(object["rules"] as? String == service.setup.current.rulesHash)
            let messages = try #require(object["messages"] as? [String])
            #expect(messages.contains("the title names CHANEL (香奈儿) at characters 0–6 (\"CHANEL\"), an exact match"))
            #expect(messages.contains {
                $0.hasPrefix("the description names CHANEL (香奈儿) at characters 4–10 (\"ch4nel\"), a misspelling")
            })
            #expect(messages.contains("price-below-floor (+0.3): unit price 20 USD < 40 USD for CHANEL"))
        }
    }

    @Test func aHitThatDoesNotCountIsExplained() async throws {
        let service = try makeService()
        try await withClient(service) { client in
            let listing = #"{"title":"apple juice 1L","hs":"200971"}"#
            let response = try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: listing))
            let object = try #require(response.json as? [String: Any])
            #expect(object["decision"] as? String == "clear")
            let messages = try #require(object["messages"] as? [String])
            #expect(messages.contains { $0.hasPrefix("\"apple\" in the title does not count: ") })
        }
    }

    struct BadListing: CustomStringConvertible, Sendable {
        var name: String
        var body: String
        var says: String
        var description: String { name }
    }

    @Test(arguments: [
        BadListing(name: "not JSON", body: "{\"title\": \"x\",\n\"hs\": 64}}", says: "\"line\":2,\"column\":10"),
        BadListing(name: "no title", body: #"{"hs":"640411"}"#, says: "missing \\\"title\\\""),
        BadListing(name: "bad hs", body: #"{"title":"shoes","hs":"64"}"#, says: "hs must be 6 to 10 digits"),
        BadListing(name: "price alone", body: #"{"title":"shoes","price":3}"#, says: "price and currency go together"),
    ])
    func badListingsAre400(_ bad: BadListing) async throws {
        let service = try makeService()
        try await withClient(service) { client in
            let response = try await client.execute(uri: "/v1/check", method: .post, body: ByteBuffer(string: bad.body))
            #expect(response.status == .badRequest)
            #expect(response.text.contains(bad.says), "\(response.text)")
        }
    }
}
