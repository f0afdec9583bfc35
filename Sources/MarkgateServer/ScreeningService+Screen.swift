import HTTPTypes
import Hummingbird
import MarkgateCore
import MarkgateIO
import MarkgateStore

extension ScreeningService {
    /// `POST /v1/screen`: one parcel object → one decision object; an array of parcels → an array of decisions.
    ///
    /// A parcel with a bad value gets its error record in its place (contract §3); a body that is not JSON is
    /// 400 with the line and column of the problem; more than `maximumBatch` parcels is 400; a body over
    /// `maximumBodyBytes` is 413. With a case book, the decisions are recorded before they are answered (503
    /// when they cannot be). Without one, `ScreenFastPath` answers most of these requests on the event loop
    /// instead, through the same `screened(_:)`.
    func screen(_ request: Request) async throws -> ServiceResponse {
        guard let body = try await collectBody(request, limit: configuration.maximumBodyBytes) else {
            return ServiceResponse.tooLarge(limit: configuration.maximumBodyBytes)
        }
        let (answer, entries) = screened(body)
        if let caseBook, let entries {
            do {
                try await caseBook.record(entries)
            } catch {
                logger.error("case book: not recorded", metadata: ["error": "\(error)"])
                return ServiceResponse.error(.serviceUnavailable, "the decisions could not be recorded: \(error)")
            }
        }
        return answer
    }

    /// The answer to a `/v1/screen` body, and (with a case book) the entries to record before it is given; nil
    /// entries when the body was refused whole. Synchronous and free of I/O: both ways in call it.
    func screened(_ body: [UInt8]) -> (answer: ServiceResponse, entries: [DecisionEntry]?) {
        let parsed: JSONParcelBody.Parsed
        do {
            parsed = try JSONParcelBody.parse(body, maximumParcels: configuration.maximumBatch)
        } catch {
            switch error {
            case .syntax(let syntax):
                return (ServiceResponse.malformed(syntax), nil)
            case .tooManyParcels(let limit):
                return (ServiceResponse.error(.badRequest, "batch over \(limit) parcels",
                                              extra: [("limit", String(limit))]), nil)
            }
        }
        let snapshot = setup.current
        var out: [UInt8] = []
        out.reserveCapacity(512 * parsed.records.count)
        var entries: [DecisionEntry] = []
        if parsed.isBatch { out.append(UInt8(ascii: "[")) }
        for (index, record) in parsed.records.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if caseBook != nil {
                entries.append(appendRecorded(record, snapshot: snapshot, to: &out))
            } else {
                append(record, snapshot: snapshot, to: &out)
            }
        }
        if parsed.isBatch { out.append(UInt8(ascii: "]")) }
        return (ServiceResponse(status: .ok, headers: jsonFields(snapshot), body: out), entries)
    }

    /// `ServiceResponse.jsonFields(snapshot:)`, built once per screening set: each field is checked as it is
    /// made, ~4k instructions for the four, on every screen request.
    func jsonFields(_ snapshot: ScreeningSetup.Snapshot) -> HTTPFields {
        if let fields = snapshotFields.withLock({ $0?.generation == snapshot.generation ? $0?.fields : nil }) {
            return fields
        }
        let fields = ServiceResponse.jsonFields(snapshot: snapshot)
        snapshotFields.withLock { $0 = (snapshot.generation, fields) }
        return fields
    }

    /// Screens one record with `snapshot`, appends its decision (or error record) as JSON and counts it, like
    /// `append`, and returns its case book entry (the JSON appended is the entry's line).
    func appendRecorded(_ record: ManifestRecord, snapshot: ScreeningSetup.Snapshot,
                        to out: inout [UInt8]) -> DecisionEntry {
        let screened = ScreenedRecord(record, screener: snapshot.screener, registerHash: snapshot.registerHash,
                                      rulesHash: snapshot.rulesHash)
        switch screened.outcome {
        case .decision(let decision, _): metrics.record(decision.decision)
        case .error: metrics.recordError()
        }
        out.append(contentsOf: screened.json)
        return screened.entry
    }

    /// Screens one record with `snapshot` and appends its decision (or error record) as JSON, counting it.
    func append(_ record: ManifestRecord, snapshot: ScreeningSetup.Snapshot, to out: inout [UInt8]) {
        switch record {
        case .parcel(let parcel, _):
            let decision = snapshot.screener.screen(parcel)
            metrics.record(decision.decision)
            DecisionJSON.append(decision, stamp: snapshot.stamp, to: &out)
        case .error(let error):
            metrics.recordError()
            DecisionJSON.append(error, to: &out)
        }
    }
}
