import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `--rules PATH`: the analysts' rules file, shared by the commands that screen and `rules` subcommands.
struct RulesOptions: ParsableArguments {
    static let defaultPath = "Rules/rules.yaml"

    @Option(name: .long, help: ArgumentHelp(
        "Rules file (YAML): thresholds, signal weights, slang, denylist, allowlist, rates.",
        discussion: "Defaults to Rules/rules.yaml in the working directory, or to the built-in rules when "
            + "that file is absent."),
        completion: .file(extensions: ["yaml", "yml"]))
    var rules: String?

    /// The rules file in effect.
    var path: String { rules ?? Self.defaultPath }

    /// Whether the built-in rules stand in: no `--rules` and no file at the default path.
    var usesBuiltIn: Bool { rules == nil && !FileManager.default.fileExists(atPath: Self.defaultPath) }

    /// Loaded rules with their content hash (decisions' `rules`) and where their values were written.
    struct Loaded {
        var rules: Rules
        var hash: String
        var locations: RulesLocations
        var warnings: [Diagnostic]
    }

    /// Loads the rules, printing warnings; prints every error and exits with status 2 on a bad file.
    ///
    /// Without `--rules` and without `Rules/rules.yaml`, the built-in rules are used (a note says so) and
    /// hashed by their canonical text; an explicit path must load. Loaded rules are hashed by the file's bytes.
    func load() throws -> Loaded {
        if usesBuiltIn {
            standardError("markgate: no \(Self.defaultPath); using the built-in rules")
            return Loaded(rules: .builtIn, hash: ContentHash.text(Rules.builtIn.canonicalText),
                          locations: RulesLocations(file: "(built-in rules)"), warnings: [])
        }
        let path = self.path
        let loaded: (rules: Rules, text: String, warnings: [Diagnostic], locations: RulesLocations)
        do {
            loaded = try RulesLoader.load(path: path)
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            standardError("markgate: the rules \(path) have \(error.diagnostics.count) error(s)")
            throw ExitCode(2)
        }
        guard let hash = ContentHash.file(at: path) else {
            standardError("\(path):1:1: error: cannot read file [unreadable]")
            throw ExitCode(2)
        }
        for warning in loaded.warnings { standardError(warning.description) }
        return Loaded(rules: loaded.rules, hash: hash, locations: loaded.locations, warnings: loaded.warnings)
    }
}

extension RulesOptions {
    /// Options naming `path` explicitly, as if given with `--rules` (for commands that take rules files as
    /// arguments).
    init(explicit path: String) {
        self.init()
        rules = path
    }
}
