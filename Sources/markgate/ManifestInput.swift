import MarkgateCore
import MarkgateIO

/// Opens a manifest for `screen`: a path or `-` (standard input); gzip and the format are detected from the
/// content (CSV, JSON Lines, CEB621/CEB311/generic XML), never from the name.
enum ManifestInput {
    static func records(at path: String) throws -> any Sequence<ManifestRecord> {
        try ManifestSource(path: path)
    }
}
