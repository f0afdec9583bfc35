import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarkgateIO
import MarkgateServer
import Testing

/// The router test client hands the whole body over before it reads the answer, so it cannot show a decision
/// leaving before the upload ends; scripts/load's loopback runs and the README cover that.
@Suite struct StreamEndpointTests {
    @Test(arguments: ["manifest.csv", "stream.jsonl", "manifest.xml", "ceb621.xml"])
    func aStreamedManifestGetsTheDecisionsOfScreeningItDirectly(_ name: String) async throws {
        let service = try makeService()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: fixture("SampleData/\(name)"))))
        let expected = expectedLines(ManifestSource(bytes: bytes, file: "upload"), snapshot: service.setup.current)
        #expect(expected.count >= 2)
        try await withClient(service) { client in
            let response = try await client.execute(uri: "/v1/screen/stream", method: .post,
                                                    body: ByteBuffer(bytes: bytes))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let lines = response.text.split(separator: "\n").map(String.init)
            #expect(lines == expected)
        }
        #expect(service.metrics.inflight.load(ordering: .relaxed) == 0)
    }

    @Test func aGzippedUploadIsReadToo() async throws {
        let service = try makeService()
        let plain = Array(try Data(contentsOf: URL(fileURLWithPath: fixture("SampleData/stream.jsonl"))))
        let expected = expectedLines(ManifestSource(bytes: plain, file: "upload"), snapshot: service.setup.current)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", fixture("SampleData/stream.jsonl")]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try gzip.run()
        let compressed = pipe.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        try await withClient(service) { client in
            let response = try await client.execute(uri: "/v1/screen/stream", method: .post,
                                                    body: ByteBuffer(bytes: Array(compressed)))
            #expect(response.text.split(separator: "\n").map(String.init) == expected)
        }
    }
}
