import MarkgateCore
import MarkgateIO

/// Opens a manifest for `screen`: a path or `-` (standard input); gzip and the format are detected from the
/// content (CSV, JSON Lines, CEB621/CEB311/generic XML), never from the name. `options` set the encoding and
/// the CSV column renames; the source's `progress` feeds the progress line.
enum ManifestInput {
    static func records(at path: String, options: ManifestOptions = ManifestOptions()) throws -> ManifestSource {
        try ManifestSource(path: path, options: options)
    }
}
