import ArgumentParser
import MarkgateIO

/// `--encoding` and `--map`: how `screen` reads its manifests (`ManifestOptions`).
struct ManifestOptionsGroup: ParsableArguments {
    /// The encodings `--encoding` accepts, in any case.
    enum Encoding: String, ExpressibleByArgument, CaseIterable {
        case utf8 = "utf-8"
        case gb18030

        init?(argument: String) {
            guard let encoding = TextEncoding(name: argument) else { return nil }
            self = encoding == .utf8 ? .utf8 : .gb18030
        }

        var textEncoding: TextEncoding { self == .utf8 ? .utf8 : .gb18030 }
    }

    @Option(name: .long, help: ArgumentHelp(
        "Character encoding of the manifests.",
        discussion: "GB18030 is transcoded to UTF-8 as it is read (after gunzip), for CSV, JSON Lines and XML "
            + "alike; a byte sequence that cannot be decoded makes its record an error record."))
    var encoding: Encoding = .utf8

    @Option(name: .customLong("map"), help: ArgumentHelp(
        "Read a CSV column as a contract column, e.g. --map description=gname (repeatable).",
        discussion: "The left side is a contract column (\(ColumnMap.contractColumns.joined(separator: ", "))); "
            + "the right side is matched case-insensitively against the header. A mapped column replaces a column "
            + "carrying the contract name. JSON Lines and XML manifests ignore it.",
        valueName: "contract=column"))
    var map: [String] = []

    func validate() throws {
        _ = try options()
        if !encoding.textEncoding.isAvailable {
            throw ValidationError("--encoding \(encoding.rawValue): this system's iconv cannot decode it")
        }
    }

    /// The options to open manifests with; a bad `--map` value is a validation error (exit status 2).
    func options() throws -> ManifestOptions {
        do {
            return ManifestOptions(encoding: encoding.textEncoding, columnMap: try ColumnMap(parsing: map))
        } catch {
            throw ValidationError("--map \(error.message)")
        }
    }
}
