import Foundation
import HTTPTypes
import Hummingbird
import MarkgateCore
import MarkgateIO

extension ScreeningService {
    /// `POST /v1/screen/stream`: a manifest (CSV, JSON Lines or XML, told from the content, gzip or not)
    /// streamed in; one decision or error record per parcel streamed out as JSON Lines while the upload is
    /// still arriving.
    ///
    /// The body's chunks go through a bounded queue (16 chunks) to a thread running `ManifestSource`, so memory
    /// stays bounded whatever the upload's size. The whole stream is screened with one snapshot. An upload over
    /// `maximumStreamBytes` ends the output with an error record. The request holds a slot of the concurrency
    /// limit until its last decision is written (429 when none is free, 503 when overloaded).
    func stream(_ request: Request) -> Response {
        if let refusal = tryAcquireSlot() { return ServiceResponse.refused(refusal).response }
        let snapshot = setup.current
        let limit = configuration.maximumStreamBytes
        let body = ResponseBody { writer in
            defer { self.releaseSlot() }
            let queue = ChunkQueue(capacity: 16)
            let (lines, output) = AsyncStream.makeStream(of: [UInt8].self)
            let reader = Thread {
                let source = ManifestSource(file: "upload", chunks: { queue.pop() })
                for record in source {
                    var line: [UInt8] = []
                    if let caseBook = self.caseBook {
                        // Recorded before its line goes out: one transaction per record.
                        let entry = self.appendRecorded(record, snapshot: snapshot, to: &line)
                        do {
                            try caseBook.record([entry])
                        } catch {
                            self.logger.error("case book: not recorded", metadata: ["error": "\(error)"])
                            line.removeAll()
                            DecisionJSON.append(RecordError(parcel: entry.parcel, location: SourceLocation(
                                file: "upload", line: 0, column: 0), message: "not recorded: \(error)"), to: &line)
                        }
                    } else {
                        self.append(record, snapshot: snapshot, to: &line)
                    }
                    line.append(0x0A)
                    output.yield(line)
                }
                output.finish()
                queue.close()
            }
            reader.start()
            let overLimit = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    var total = 0
                    defer { queue.finish() }
                    for try await chunk in request.body {
                        total += chunk.readableBytes
                        if total > limit { return true }
                        await queue.push(Array(chunk.readableBytesView))
                    }
                    return false
                }
                do {
                    for await line in lines { try await writer.write(ByteBuffer(bytes: line)) }
                } catch {
                    queue.close()
                    throw error
                }
                return try await group.next() ?? false
            }
            if overLimit {
                self.metrics.recordError()
                let record = RecordError(parcel: nil, location: SourceLocation(file: "upload", line: 0, column: 0),
                                         message: "upload over \(limit) bytes: the rest was not read")
                var line: [UInt8] = []
                DecisionJSON.append(record, to: &line)
                line.append(0x0A)
                try await writer.write(ByteBuffer(bytes: line))
            }
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.contentType: "application/x-ndjson"]
        headers[ServiceResponse.rulesHeader] = snapshot.rulesHash
        headers[ServiceResponse.registerHeader] = snapshot.registerHash
        headers[ServiceResponse.generationHeader] = String(snapshot.generation)
        return Response(status: .ok, headers: headers, body: body)
    }
}
