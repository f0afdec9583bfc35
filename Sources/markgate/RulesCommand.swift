import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `markgate rules …`: the analysts' rules file (contract §4).
///
/// Each subcommand is a nested type in a file of its own (`RulesCommand.Lint` here); add new ones to
/// `subcommands`.
struct RulesCommand: ParsableCommand {
    static let subcommands: [any ParsableCommand.Type] = [Lint.self, Backtest.self, Diff.self]

    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Work with the rules file: weights, thresholds, lexicons and lists (Rules/rules.yaml).",
        subcommands: subcommands
    )
}

extension RulesCommand {
    /// `markgate rules lint`: the loader's errors and the lint's warnings, one line each.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the rules file: errors (that stop screening) and warnings (judgement calls).",
            discussion: """
                Prints one line per problem, `file:line:column: error|warning: message [kind]`, then a summary. \
                Warnings read the rules against the register: allowlisted marks it lacks, denylisted licensees, \
                slang listed twice or equal to a mark's name, signals that never fire, mark signals too light \
                to flag on their own, equal thresholds, price floors without a rate. Exit status: 0 no errors \
                (warnings or not), 2 errors in the rules, or a bad register.
                """
        )

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var registerOptions: RegisterOptions

        func run() throws {
            let path = rulesOptions.usesBuiltIn ? "(built-in rules)" : rulesOptions.path
            let rules: Rules
            var diagnostics: [Diagnostic]
            let locations: RulesLocations
            if rulesOptions.usesBuiltIn {
                standardError("markgate: no \(RulesOptions.defaultPath); linting the built-in rules")
                (rules, diagnostics, locations) = (.builtIn, [], RulesLocations(file: path))
            } else {
                do {
                    let loaded = try RulesLoader.load(path: path)
                    (rules, diagnostics, locations) = (loaded.rules, loaded.warnings, loaded.locations)
                } catch {
                    for diagnostic in error.diagnostics { print(diagnostic.description) }
                    print(Self.summary(path, errors: error.diagnostics.count, warnings: 0))
                    throw ExitCode(2)
                }
            }
            let register: Register
            if registerOptions.register == nil, !FileManager.default.fileExists(atPath: registerOptions.path) {
                standardError("markgate: no \(registerOptions.path); the allowlist's marks and the denylist's "
                                + "licensees are not checked")
                register = Register(marks: [])
            } else {
                register = try registerOptions.load()
            }
            diagnostics += RulesLint.warnings(rules: rules, register: register, locations: locations)
            for diagnostic in diagnostics { print(diagnostic.description) }
            print(Self.summary(path, errors: 0, warnings: diagnostics.count))
        }

        /// `Rules/rules.yaml: 0 errors, 2 warnings`.
        static func summary(_ path: String, errors: Int, warnings: Int) -> String {
            "\(path): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        }
    }
}
