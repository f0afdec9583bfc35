import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `--hs-table PATH`: the HS → Nice class table.
struct HSTableOptions: ParsableArguments {
    @Option(name: .customLong("hs-table"), help: ArgumentHelp(
        "HS → Nice class table (YAML).", discussion: "Defaults to Rules/hs-nice.yaml in the working directory."),
        completion: .file(extensions: ["yaml", "yml"]))
    var path: String?

    /// Loads the table; a missing default file means no table (every HS code counts as inside the classes).
    func load() throws -> NiceClassTable {
        let chosen = path ?? "Rules/hs-nice.yaml"
        if path == nil, !FileManager.default.fileExists(atPath: chosen) {
            standardError("markgate: no \(chosen); goods are not judged by class")
            return NiceClassTable(prefixes: [:])
        }
        do {
            return try NiceClassTableLoader.load(path: chosen)
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            throw ExitCode(2)
        }
    }
}
