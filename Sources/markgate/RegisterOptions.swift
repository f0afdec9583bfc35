import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `--register PATH`, shared by the commands that screen.
struct RegisterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Register file or folder of *.yaml files.",
        discussion: "Defaults to Rules/register.yaml, or Rules/register/, in the working directory."),
        completion: .file(extensions: ["yaml", "yml"]))
    var register: String?

    /// The register path in effect.
    var path: String { register ?? Self.defaultPath() }

    /// Loads the register, printing warnings; prints every error and exits with status 2 on a bad one.
    func load() throws -> Register {
        let path = self.path
        do {
            let (register, warnings) = try RegisterLoader.load(path: path)
            for warning in warnings { standardError(warning.description) }
            return register
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            standardError("markgate: the register \(path) has \(error.diagnostics.count) error(s)")
            throw ExitCode(2)
        }
    }

    static func defaultPath() -> String {
        let folder = "Rules/register"
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: "Rules/register.yaml"),
           FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue {
            return folder
        }
        return "Rules/register.yaml"
    }
}

/// Writes one line to standard error.
func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
