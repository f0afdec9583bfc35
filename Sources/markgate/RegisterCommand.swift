import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `markgate register lint|import|stats`: the analysts' register tools (contract §1, §4).
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Check, import and summarize the protection register.",
        subcommands: [Lint.self, Import.self, Stats.self]
    )
}

extension RegisterCommand {
    /// `markgate register lint`: the loader's errors and warnings, and the lint's warnings.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report errors and questionable entries in the register.",
            discussion: """
                Prints one line per problem, `file:line:column: severity: message [kind]`, in file order: the \
                errors that stop the register from loading, and warnings about entries that load but screen \
                badly (everyday words not marked generic, names shared by two marks, names of 1–2 letters, \
                generic names without context, unknown currencies). Exit status: 0 no errors (warnings or \
                not), 2 errors.
                """
        )

        @OptionGroup var registerOptions: RegisterOptions

        func run() throws {
            let path = registerOptions.path
            let reading = RegisterLoader.loadWithLocations(path: path)
            let lint = RegisterLint.warnings(register: reading.register, locations: reading.locations)
            let all = (reading.diagnostics + lint).enumerated().sorted { a, b in
                let (l, r) = (a.element.location, b.element.location)
                return (l.file, l.line, l.column, a.offset) < (r.file, r.line, r.column, b.offset)
            }.map(\.element)
            for diagnostic in all { print(diagnostic.description) }
            let errors = all.count { $0.severity == .error }
            standardError("markgate: \(path): \(reading.register.marks.count) marks, \(errors) error(s), "
                          + "\(all.count - errors) warning(s)")
            if errors > 0 { throw ExitCode(2) }
        }
    }
}

extension RegisterCommand {
    /// `markgate register import FILE.csv`: a register written as CSV, converted to the contract's YAML.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Convert a register written as CSV (one row per mark) into the contract's YAML.",
            discussion: """
                The header names the columns as the register's keys: id, names, variants, kind, classes, owner, \
                recordation, licensees, generic_names, context, min_unit_price (id and names required). Lists \
                are separated by |, price floors written USD:40|CNY:280. The YAML is checked by loading it back. \
                Exit status: 0 written; 2 any error (each printed as file:line:column of the CSV field), and \
                nothing is written.
                """
        )

        @Argument(help: ArgumentHelp("The CSV file, or - for standard input.", valueName: "file.csv"),
                  completion: .file(extensions: ["csv"]))
        var file: String

        @Option(name: .long, help: ArgumentHelp("Write the YAML to this file instead of standard output.",
                                                valueName: "path"),
                completion: .file(extensions: ["yaml", "yml"]))
        var out: String?

        func run() throws {
            let imported: RegisterImport
            let name = file == "-" ? "<stdin>" : file
            do {
                if file == "-" {
                    let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                    imported = try RegisterImporter.importCSV(bytes: bytes, file: name)
                } else {
                    imported = try RegisterImporter.importCSV(path: file)
                }
            } catch {
                for diagnostic in error.diagnostics { standardError(diagnostic.description) }
                standardError("markgate: \(name) has \(error.diagnostics.count) error(s); nothing written")
                throw ExitCode(2)
            }
            if let out {
                do {
                    try imported.yaml.write(toFile: out, atomically: true, encoding: .utf8)
                } catch {
                    standardError("markgate: cannot write \(out): \(error.localizedDescription)")
                    throw ExitCode(2)
                }
            } else {
                FileHandle.standardOutput.write(Data(imported.yaml.utf8))
            }
            let count = imported.register.marks.count
            standardError("markgate: imported \(count) mark\(count == 1 ? "" : "s") from \(name)"
                          + (out.map { " to \($0)" } ?? ""))
        }
    }

    /// `markgate register stats`: what the register holds, in figures.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarize the register: marks by kind, names by script, classes, floors, matcher size.",
            discussion: "Exit status: 0 summarized; 2 the register has errors (printed as by every command)."
        )

        @Flag(name: .long, help: "Write one JSON object (sorted keys) instead of the table.")
        var json = false

        @OptionGroup var registerOptions: RegisterOptions

        func run() throws {
            let stats = RegisterStats(register: try registerOptions.load())
            print(json ? stats.json : stats.table)
        }
    }
}
