import ArgumentParser
import MarkgateCore
import MarkgateIO

/// Opens a manifest for the commands that screen one (`screen`, `rules backtest`, `rules diff`): a path or `-`
/// (standard input); gzip and the format are detected from the content (CSV, JSON Lines, CEB621/CEB311/generic
/// XML), never from the name. `options` set the encoding and the CSV column renames; the source's `progress`
/// feeds the progress line.
enum ManifestInput {
    /// The manifest's records; prints why and exits with status 2 when it cannot be opened.
    static func open(_ path: String, options: ManifestOptions = ManifestOptions()) throws -> ManifestSource {
        do {
            return try ManifestSource(path: path, options: options)
        } catch {
            standardError("markgate: cannot read \(path): \(error)")
            throw ExitCode(2)
        }
    }
}
