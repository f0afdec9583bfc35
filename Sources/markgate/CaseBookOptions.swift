import ArgumentParser
import Foundation
import MarkgateStore

/// `--db PATH`: the case book that `audit` and `review` read (and `review decide` writes).
struct CaseBookOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The case book (SQLite) written by screen --db.",
        discussion: "Defaults to $MARKGATE_DB."), completion: .file(extensions: ["db", "sqlite"]))
    var db: String?

    func validate() throws {
        if path == nil { throw ValidationError("--db PATH is needed (or MARKGATE_DB in the environment)") }
    }

    /// The case book path in effect.
    var path: String? { db ?? ProcessInfo.processInfo.environment["MARKGATE_DB"] }

    /// Opens the existing case book; prints why and exits with status 2 when it cannot.
    func open() throws -> CaseBook {
        try caseBook { () throws(CaseBookError) in try CaseBook(existing: path ?? "") }
    }
}
