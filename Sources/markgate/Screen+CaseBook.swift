import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO
import MarkgateStore

extension Screen {
    /// What a worker hands back for one record with `--db`: the outcome, its output line (nil when not written
    /// out) and its case book entry.
    struct Recorded: Sendable {
        /// The outcome as the calling thread needs it (the decision stays on the worker).
        var summary: ScreeningPipeline.Summary
        var line: [UInt8]?
        var entry: DecisionEntry
    }

    /// `screen --db`: screens as `run` does, records every outcome in the case book in batch transactions (on
    /// the recorder's thread), and writes each batch's lines only once the batch is committed.
    func runRecording(db: String, screener: Screener, registerHash: String?, rules: RulesOptions.Loaded,
                      writer: LineWriter) throws {
        let book: CaseBook
        do {
            book = try CaseBook(path: db)
        } catch {
            standardError("markgate: \(error)")
            throw ExitCode(2)
        }
        // Each file's identity and how much of it the case book holds, before anything is screened.
        var sources: [(file: String, id: String?, skip: Int64)] = []
        for file in files {
            guard file != "-" else {
                sources.append((file, nil, 0))
                continue
            }
            guard let id = CaseBook.sourceID(path: file) else {
                standardError("markgate: cannot read \(file)")
                throw ExitCode(2)
            }
            if let same = sources.first(where: { $0.id == id }) {
                standardError("markgate: \(file) has the same content as \(same.file): the case book would hold its "
                              + "records twice")
                throw ExitCode(2)
            }
            let held = try caseBook { () throws(CaseBookError) in try book.sourceProgress(sourceID: id) }
            if held.records > 0 && !resume {
                standardError("markgate: \(CaseBookError.alreadyRecorded(file, records: held.records))")
                throw ExitCode(2)
            }
            let skip = held.lastOrdinal.map { $0 + 1 } ?? 0
            if resume && skip > 0 { standardError("markgate: resuming \(file) after its first \(skip) records") }
            sources.append((file, id, skip))
        }
        let rulesText: [UInt8]? = rulesOptions.usesBuiltIn ? Array(Rules.builtIn.canonicalText.utf8)
            : FileManager.default.contents(atPath: rulesOptions.path).map { [UInt8]($0) }
        let runID = try caseBook { () throws(CaseBookError) in
            try book.beginRun(CaseBook.RunInfo(
                sources: files, registerHash: registerHash,
                registerText: ContentHash.registerBytes(at: registerOptions.path), rulesHash: rules.hash,
                rulesText: rulesText, toolVersion: "markgate \(Markgate.version)", resumed: resume))
        }

        var summary = ScreenSummary()
        let progress = ProgressLine(enabled: isatty(STDERR_FILENO) != 0 && out != nil)
        if format == .csv { writer.write(line: DecisionCSV.header) }
        if format == .table { writer.write(line: TableFormat.header) }
        let output = SharedWriter(writer: writer)
        var stopped = false
        var recorded = 0
        for source in sources where !stopped {
            let stream = source.file == "-"
            let records = try ManifestInput.open(source.file, options: manifestOptions.options())
            let pipeline = ScreeningPipeline(screener: screener, batchSize: stream ? 1 : 512, workers: workers)
            let recorder = CaseBookRecorder(
                book: book, runID: runID, source: source.file, sourceID: source.id ?? "stdin:run-\(runID)",
                firstOrdinal: source.skip, batchSize: stream ? 1 : CaseBookRecorder.fileBatchSize
            ) { lines in
                for case let line? in lines { output.writer.write(line: line) }
                if stream { output.writer.flush() }
            }
            let process: @Sendable (ManifestRecord) -> Recorded = { [format, onlyFlagged] record in
                Self.screenForBook(record, screener: screener, registerHash: registerHash, rulesHash: rules.hash,
                                   format: format, onlyFlagged: onlyFlagged)
            }
            pipeline.map(records.dropFirst(Int(source.skip)), process) { result in
                switch result.summary {
                case .decision(let verdict, let items, _):
                    summary.count(verdict, items: items)
                case .error:
                    summary.errors += 1
                    if failFast { stopped = true }
                }
                recorder.append(result.entry, line: result.line)
                recorded += 1
                progress.update(summary, input: records.progress)
                if recorder.failed { stopped = true }
                return !stopped
            }
            do {
                try recorder.finish()
            } catch {
                writer.flush()
                standardError("markgate: \(error)")
                throw ExitCode(2)
            }
        }
        writer.flush()
        progress.finish()
        standardError(summary.report())
        let head = try caseBook { () throws(CaseBookError) in try book.decisionsHead() }
        standardError("case book \(db): \(recorded) records recorded in run \(runID); chain head seq \(head.seq) "
                      + head.hash)
        if summary.errors > 0 { throw ExitCode(1) }
    }

    /// Screens one record on a worker for the case book, and renders its output line in `format` (nil when
    /// `onlyFlagged` leaves a clear decision out).
    static func screenForBook(_ record: ManifestRecord, screener: Screener, registerHash: String?, rulesHash: String,
                              format: Format, onlyFlagged: Bool) -> Recorded {
        let screened = ScreenedRecord(record, screener: screener, registerHash: registerHash, rulesHash: rulesHash)
        let line: [UInt8]?
        switch screened.outcome {
        case .decision(let decision, _):
            line = onlyFlagged && decision.decision == .clear ? nil
                : format == .jsonl ? screened.json : Self.line(for: decision, format: format)
        case .error(let error):
            line = format == .jsonl ? screened.json : Self.line(for: error, format: format)
        }
        return Recorded(summary: screened.outcome.summary, line: line, entry: screened.entry)
    }
}

/// The output writer, handed to the recorder's thread, which alone writes to it until `finish` returns.
struct SharedWriter: @unchecked Sendable {
    let writer: LineWriter
}

/// Runs a case book call; prints its error and exits with status 2 when it fails.
func caseBook<T>(_ body: () throws(CaseBookError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        standardError("markgate: \(error)")
        throw ExitCode(2)
    }
}
