import Foundation

/// Content hashes that version what a decision was made with (contract §3, `register` and `rules`).
public enum ContentHash {
    /// `sha256:` and the hex digest of the register file, or of a folder's register files in load order.
    public static func register(at path: String) -> String? {
        registerBytes(at: path).map { "sha256:" + SHA256.hex(SHA256.hash($0)) }
    }

    /// What `register(at:)` hashes: the register file's bytes, or a folder's register files' bytes concatenated
    /// in load order; nil when they cannot be read.
    public static func registerBytes(at path: String) -> [UInt8]? {
        guard let files = try? RegisterLoader.registerFiles(at: path) else { return nil }
        var bytes: [UInt8] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { return nil }
            bytes.append(contentsOf: data)
        }
        return bytes
    }

    /// `sha256:` and the hex digest of a file's bytes as they are on disk (the rules file's version, contract
    /// §3 `rules`); nil when it cannot be read.
    public static func file(at path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return "sha256:" + SHA256.hex(SHA256.hash([UInt8](data)))
    }

    /// `sha256:` and the hex digest of a text.
    public static func text(_ text: String) -> String {
        "sha256:" + SHA256.hex(SHA256.hash(Array(text.utf8)))
    }
}
