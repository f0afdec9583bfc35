import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `markgate screen FILE...`: a decision per parcel, in input order, as JSON Lines.
struct Screen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen manifests and write a decision (or an error record) per parcel as JSON Lines.",
        discussion: """
            Reads CSV manifests (contract §2). Exit status: 0 every record read, 1 some records could not be \
            read (each has its error record), 2 the command could not start.
            """
    )

    @Argument(help: "Manifest files (CSV).", completion: .file())
    var files: [String]

    @OptionGroup var registerOptions: RegisterOptions
    @OptionGroup var hsTable: HSTableOptions

    @Option(name: .long, help: "Write decisions here instead of standard output.")
    var out: String?

    @Flag(name: .customLong("only-flagged"), help: "Write only decisions other than clear (and error records).")
    var onlyFlagged = false

    func run() throws {
        let register = try registerOptions.load()
        let screener = Screener(register: register, niceClasses: try hsTable.load())
        let registerHash = ContentHash.register(at: registerOptions.path)
        let rulesHash = ContentHash.text(screener.policy.canonicalText)
        let writer: LineWriter
        do {
            writer = try out.map(LineWriter.init(path:)) ?? LineWriter()
        } catch {
            standardError("markgate: cannot write \(out ?? "")")
            throw ExitCode(2)
        }
        var failed = 0
        for file in files {
            let reader: CSVManifestReader
            do {
                reader = try CSVManifestReader(path: file)
            } catch {
                standardError("markgate: cannot read \(file): \(error)")
                throw ExitCode(2)
            }
            for record in reader {
                switch record {
                case .parcel(let parcel, _):
                    var decision = screener.screen(parcel)
                    decision.register = registerHash
                    decision.rules = rulesHash
                    if !onlyFlagged || decision.decision != .clear { writer.write(line: DecisionJSON.line(decision)) }
                case .error(let error):
                    failed += 1
                    writer.write(line: DecisionJSON.line(error))
                }
            }
        }
        writer.flush()
        if failed > 0 { throw ExitCode(1) }
    }
}
