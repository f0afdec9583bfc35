import ArgumentParser
import Foundation
import MarkgateIO
import MarkgateStore

/// `markgate audit verify|export`: the case book's hash chains.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the case book's hash chains, or export a range of decisions with their chain proof.",
        subcommands: [Verify.self, Export.self]
    )
}

extension AuditCommand {
    /// `markgate audit verify --db PATH`: walks the chains and names the first row altered, removed or moved.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the decisions and reviews chains and name the first row altered, removed or reordered.",
            discussion: """
                Recomputes each row's hash from its columns, checks each prev_hash against the row before, the \
                seqs for gaps and the last row against the recorded head (so removing the last rows shows too). \
                Prints `intact: …` with each chain's head, or `tampered: TABLE seq N (parcel P): what: why`. \
                Someone who can rewrite the file can also rewrite the head: compare the head printed here with \
                one kept outside the file (an export's sign-off). Exit status: 0 intact, 1 tampered, 2 the case \
                book cannot be opened.
                """
        )

        @OptionGroup var book: CaseBookOptions

        func run() throws {
            let book = try book.open()
            let report = try caseBook { () throws(CaseBookError) in try book.verify() }
            print(report.description)
            if !report.isIntact { throw ExitCode(1) }
        }
    }

    /// `markgate audit export --db PATH [--from SEQ] [--to SEQ] [--out FILE]`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a range of decisions as JSON Lines with their chain proof and a sign-off line.",
            discussion: """
                One line per decision row: seq, prev_hash, row_hash, every other column, the decision and the \
                parcel data as JSON objects; then {"signoff": {…}} with the range, the count, the head hash (the \
                last row's row_hash), the register and rules hashes involved and the time. The head hash is the \
                signature, to be countersigned out of band: kept outside the file, it is what shows any later \
                change to the range. The chains are verified first; a tampered case book is not exported (exit 1).
                """
        )

        @OptionGroup var book: CaseBookOptions

        @Option(name: .long, help: "First seq to export (default 1).")
        var from: Int64?

        @Option(name: .long, help: "Last seq to export (default the chain's head).")
        var to: Int64?

        @Option(name: .long, help: "Write here instead of standard output.")
        var out: String?

        func run() throws {
            let book = try book.open()
            let report = try caseBook { () throws(CaseBookError) in try book.verify() }
            guard report.isIntact else {
                standardError("markgate: not exported: " + report.description)
                throw ExitCode(1)
            }
            let writer = try LineWriter.output(out)
            let signOff = try caseBook { () throws(CaseBookError) in
                try book.export(from: from, to: to) { writer.write(line: $0) }
            }
            writer.flush()
            standardError("exported decisions \(signOff.from)–\(signOff.to) (\(signOff.count) rows); head hash "
                          + signOff.headHash)
        }
    }
}
