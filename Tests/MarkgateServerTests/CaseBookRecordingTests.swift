import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MarkgateCore
import MarkgateIO
import MarkgateServer
import MarkgateStore
import Testing

/// `serve --db`: what /v1/screen answers is in the case book, chained, before the answer goes out.
@Suite struct CaseBookRecordingTests {
    /// The test service, recording into a fresh in-memory case book.
    static func recordingService() throws -> (ScreeningService, ServedCaseBook) {
        let plain = try makeService()
        let snapshot = plain.setup.current
        let book = try ServedCaseBook(book: CaseBook(inMemory: ()), run: CaseBook.RunInfo(
            sources: ["serve"], registerHash: snapshot.registerHash, rulesHash: snapshot.rulesHash,
            toolVersion: "test"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let service = ScreeningService(setup: plain.setup, configuration: plain.configuration, logger: logger,
                                       caseBook: book)
        return (service, book)
    }

    @Test func everyAnsweredRecordIsInTheBookInOrderAndTheChainVerifies() async throws {
        let (service, book) = try Self.recordingService()
        let batch = """
            [\(nikeParcel),
             {"parcel_id":"P2","items":[]},
             {"parcel_id":"P3","items":[{"description":"apple juice 1L","hs_code":"200971"}]}]
            """
        let answers = try await withClient(service) { client in
            let first = try await client.execute(uri: "/v1/screen", method: .post, body: ByteBuffer(string: batch))
            let second = try await client.execute(uri: "/v1/screen", method: .post,
                                                  body: ByteBuffer(string: nikeParcel))
            return [first.text, second.text]
        }
        let answered = try #require(try JSONSerialization.jsonObject(with: Data(answers[0].utf8)) as? [Any])
        #expect(answered.count == 3)
        // Four records in two requests: ordinals 0…3 of the run's source, in the order answered.
        let progress = try book.book.sourceProgress(sourceID: book.sourceID)
        #expect(progress.records == 4)
        #expect(progress.lastOrdinal == 3)
        let nike = try #require(try book.book.latestDecision(parcel: "P1"))
        #expect(answers[1] == nike.decisionJSON)
        #expect(nike.ordinal == 3)
        let report = try book.book.verify()
        #expect(report.problems.isEmpty)
        #expect(report.decisions.rows == 4)
    }

    @Test func aStreamedUploadIsRecordedRecordByRecord() async throws {
        let (service, book) = try Self.recordingService()
        let upload = """
            parcel_id,description,hs_code
            S1,NIKE air max shoes,640411
            S2,apple juice 1L,200971
            """
        let text = try await withClient(service) { client in
            try await client.execute(uri: "/v1/screen/stream", method: .post, body: ByteBuffer(string: upload)).text
        }
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(try book.book.sourceProgress(sourceID: book.sourceID).records == 2)
        #expect(try book.book.latestDecision(parcel: "S2")?.decisionJSON == lines[1])
        #expect(try book.book.verify().problems.isEmpty)
    }
}
