import Foundation
import MarkgateCore
import MarkgateIO

/// Opens a manifest for `screen`: a file path, or `-` for standard input (CSV).
enum ManifestInput {
    static func records(at path: String) throws -> any Sequence<ManifestRecord> {
        if path == "-" {
            let input = FileHandle.standardInput
            return CSVManifestReader(file: "<stdin>", chunks: {
                let data = input.availableData
                return data.isEmpty ? nil : [UInt8](data)
            })
        }
        return try CSVManifestReader(path: path)
    }
}
