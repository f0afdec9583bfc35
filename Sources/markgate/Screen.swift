import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO
import MarkgateStore

/// `markgate screen FILE... | -`: a decision per parcel, in input order.
struct Screen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen manifests and write a decision (or an error record) per parcel.",
        discussion: """
            Reads CSV, JSON Lines and CEB621, CEB311 or generic XML manifests (contract §2), gzipped or not, \
            the format told from the content; `-` reads standard input and writes each decision as soon as its \
            parcel is read. Screening uses both cores; decisions keep the input order. A summary goes to \
            standard error at the end. With --db, every decision and error record is also recorded in the case \
            book (SQLite), in batch transactions, and each line is written out only once its batch is committed; \
            --resume continues a run that was interrupted after its last recorded record. Exit status: 0 every \
            record read, 1 some records could not be read (each has its error record), 2 the command could not \
            start (or the case book could not be written).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv, table
    }

    @Argument(help: "Manifest files (CSV, JSON Lines, XML; .gz or not), or - for standard input.", completion: .file())
    var files: [String]

    @OptionGroup var registerOptions: RegisterOptions
    @OptionGroup var hsTable: HSTableOptions
    @OptionGroup var manifestOptions: ManifestOptionsGroup
    @OptionGroup var rulesOptions: RulesOptions

    @Option(name: .long, help: "Write decisions here instead of standard output.")
    var out: String?

    @Option(name: .long, help: "Output format: jsonl (contract §3), csv or table.")
    var format: Format = .jsonl

    @Flag(name: .customLong("only-flagged"), help: "Write only decisions other than clear (and error records).")
    var onlyFlagged = false

    @Flag(name: .customLong("fail-fast"), help: "Stop at the first record that cannot be read.")
    var failFast = false

    @Option(name: .long, help: "Screening threads (default: the machine's cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp(
        "Record every decision in this case book (SQLite; created when missing).",
        discussion: "Decisions, parcel data, register and rules texts, each decision row hash-chained to the one "
            + "before (see `markgate audit verify`)."), completion: .file(extensions: ["db", "sqlite"]))
    var db: String?

    @Flag(name: .long, help: ArgumentHelp(
        "With --db: skip the records of each file the case book already holds and screen only the rest.",
        discussion: "For a run that was interrupted: a file is known by the SHA-256 of its bytes."))
    var resume = false

    func validate() throws {
        if workers < 1 { throw ValidationError("--workers must be 1 or more") }
        if resume && db == nil { throw ValidationError("--resume needs --db") }
        if resume && files.contains("-") { throw ValidationError("--resume cannot continue standard input") }
    }

    func run() throws {
        let register = try registerOptions.load()
        let rules = try rulesOptions.load()
        let screener = Screener(register: register, niceClasses: try hsTable.load(), rules: rules.rules)
        let registerHash = ContentHash.register(at: registerOptions.path)
        let rulesHash = rules.hash
        let writer = try LineWriter.output(out)
        if let db {
            try runRecording(db: db, screener: screener, registerHash: registerHash, rules: rules, writer: writer)
            return
        }
        var summary = ScreenSummary()
        let progress = ProgressLine(enabled: isatty(STDERR_FILENO) != 0 && out != nil)
        if format == .csv { writer.write(line: DecisionCSV.header) }
        if format == .table { writer.write(line: TableFormat.header) }
        var stopped = false
        let stamp = DecisionJSON.Stamp(register: registerHash, rules: rulesHash)
        for file in files where !stopped {
            let records = try ManifestInput.open(file, options: manifestOptions.options())
            let pipeline = ScreeningPipeline(screener: screener, batchSize: file == "-" ? 1 : 512, workers: workers)
            // Each worker (this thread among them) renders the outcomes it screened, stamped (nothing for a clear
            // decision with --only-flagged); this thread also counts and writes them, in input order.
            let render: @Sendable (ScreeningPipeline.Outcome, inout [UInt8]) -> Void = {
                [format, onlyFlagged] outcome, bytes in
                switch outcome {
                case .decision(let decision, _):
                    if onlyFlagged && decision.decision == .clear { return }
                    Self.append(decision, format: format, stamp: stamp, to: &bytes)
                case .error(let error):
                    Self.append(error, format: format, to: &bytes)
                }
            }
            pipeline.run(records, renderInto: render) { screened, line in
                switch screened {
                case .decision(let verdict, let items, _):
                    summary.count(verdict, items: items)
                case .error:
                    summary.errors += 1
                    if failFast { stopped = true }
                }
                if !line.isEmpty { writer.write(line: line) }
                if file == "-" { writer.flush() }
                progress.update(summary, input: records.progress)
                return !stopped
            }
        }
        writer.flush()
        progress.finish()
        standardError(summary.report())
        if summary.errors > 0 { throw ExitCode(1) }
    }

    /// A decision's line in `format`, without its line break.
    static func line(for decision: Decision, format: Format) -> [UInt8] {
        var bytes: [UInt8] = []
        append(decision, format: format, to: &bytes)
        return bytes
    }

    /// An error record's line in `format`, without its line break.
    static func line(for error: RecordError, format: Format) -> [UInt8] {
        var bytes: [UInt8] = []
        append(error, format: format, to: &bytes)
        return bytes
    }

    /// Appends a decision's line in `format` (without its line break) to `bytes`.
    static func append(_ decision: Decision, format: Format, to bytes: inout [UInt8]) {
        switch format {
        case .jsonl: DecisionJSON.append(decision, to: &bytes)
        case .csv: bytes.append(contentsOf: DecisionCSV.row(decision).utf8)
        case .table: bytes.append(contentsOf: TableFormat.row(decision).utf8)
        }
    }

    /// Appends a decision's line in `format` (without its line break) to `bytes`, stamped with `stamp`'s register
    /// and rules hashes.
    static func append(_ decision: Decision, format: Format, stamp: DecisionJSON.Stamp, to bytes: inout [UInt8]) {
        if format == .jsonl {
            DecisionJSON.append(decision, stamp: stamp, to: &bytes)
            return
        }
        var decision = decision
        decision.register = stamp.register
        decision.rules = stamp.rules
        append(decision, format: format, to: &bytes)
    }

    /// Appends an error record's line in `format` (without its line break) to `bytes`.
    static func append(_ error: RecordError, format: Format, to bytes: inout [UInt8]) {
        switch format {
        case .jsonl: DecisionJSON.append(error, to: &bytes)
        case .csv: bytes.append(contentsOf: DecisionCSV.row(error).utf8)
        case .table: bytes.append(contentsOf: TableFormat.row(error).utf8)
        }
    }
}
