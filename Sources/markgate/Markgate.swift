import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `markgate`: screens goods descriptions for protected trademarks.
@main
struct Markgate: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "markgate",
        abstract: "Screen customs declarations and listings for goods that infringe protected trademarks.",
        version: "markgate \(version) (Unicode \(Normalizer.unicodeVersion), libxml2 \(LinkedLibraries.libxml2), "
            + "SQLite \(LinkedLibraries.sqlite))",
        subcommands: [Check.self, Screen.self, Serve.self, RulesCommand.self, RegisterCommand.self, AuditCommand.self,
                      ReviewCommand.self]
    )

    /// Runs the command; exit status follows the contract: 2 when the command could not start.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
