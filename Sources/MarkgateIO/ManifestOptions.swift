/// How `ManifestSource` reads a manifest: its character encoding and the CSV column renames.
///
/// The defaults (UTF-8, no renames) read every manifest as contract §2 describes it.
public struct ManifestOptions: Sendable, Hashable {
    /// The encoding of the (decompressed) bytes; GB18030 is transcoded to UTF-8 before the format is sniffed.
    public var encoding: TextEncoding
    /// Renames applied to a CSV header; JSON Lines and XML ignore them (their keys and elements are fixed).
    public var columnMap: ColumnMap

    public init(encoding: TextEncoding = .utf8, columnMap: ColumnMap = ColumnMap()) {
        self.encoding = encoding
        self.columnMap = columnMap
    }
}

/// The character encoding of a manifest's bytes (contract §2: UTF-8, or GB18030 when asked for).
///
/// UTF-8 is read as it is (an XML manifest may also be UTF-16 or declare its own encoding). GB18030 is turned into
/// UTF-8 as a stream by `GB18030Decoder`, so positions in error records count Unicode scalars of the decoded text.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case utf8 = "utf-8"
    case gb18030

    /// The encoding named `name`, in any case, with or without the hyphen (`UTF8`, `utf-8`, `GB18030`); nil for
    /// any other name.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gb-18030": self = .gb18030
        default: return nil
        }
    }

    public var description: String { rawValue }

    /// Whether this system can decode the encoding: always for UTF-8; for GB18030, whether glibc's iconv has
    /// its converter (the `gconv` modules shipped with glibc).
    public var isAvailable: Bool {
        switch self {
        case .utf8: true
        case .gb18030: GB18030Decoder.isAvailable
        }
    }
}

/// Renames for a CSV manifest's header: which column of the file is read as which contract column (contract §2),
/// e.g. the file's `gname` as the contract's `description`.
///
/// - Names on both sides are matched as the CSV reader matches header names: case-insensitively, trimmed, with
///   inner spaces, hyphens and underscores read as `_` (`Goods Name` is `goods_name`).
/// - A contract column that is mapped is read only from its mapped column: a column of the file that carries the
///   contract name itself is then ignored, and when the mapped column is missing, so is the contract column (a
///   required one is reported missing).
/// - Each contract column and each file column may be mapped once.
public struct ColumnMap: Sendable, Hashable, CustomStringConvertible {
    /// The contract's CSV column names (contract §2), in its order.
    public static let contractColumns: [String] = CSVManifestReader.ManifestColumns.Name.allCases.map(\.rawValue)

    /// Contract column → the file's column (both in normalized form).
    public private(set) var renames: [String: String] = [:]

    /// No renames: every column is read under its own name.
    public init() {}

    /// The renames of `specs`, each `contract=column` (`description=gname`), as given to `--map`.
    public init(parsing specs: [String]) throws(ColumnMapError) {
        for spec in specs {
            guard let equals = spec.firstIndex(of: "=") else {
                throw ColumnMapError(kind: .malformed, message: "\"\(spec)\": expected contract=column, e.g. "
                                        + "description=gname")
            }
            try map(String(spec[..<equals]), to: String(spec[spec.index(after: equals)...]))
        }
    }

    /// Reads the file's column `fileColumn` as the contract column `contractColumn`.
    public mutating func map(_ contractColumn: String, to fileColumn: String) throws(ColumnMapError) {
        let contract = CSVManifestReader.columnKey(contractColumn)
        let column = CSVManifestReader.columnKey(fileColumn)
        guard !contract.isEmpty, !column.isEmpty else {
            throw ColumnMapError(kind: .malformed, message: "\"\(contractColumn)=\(fileColumn)\": expected "
                                    + "contract=column with both names given, e.g. description=gname")
        }
        guard Self.contractColumns.contains(contract) else {
            throw ColumnMapError(kind: .unknownContractColumn, message: "\"\(contractColumn)\" is not a contract "
                                    + "column; expected one of \(Self.contractColumns.joined(separator: ", "))")
        }
        if let earlier = renames[contract] {
            throw ColumnMapError(kind: .contractColumnMappedTwice,
                                 message: "\(contract) is mapped twice (to \(earlier) and to \(column))")
        }
        if let other = renames.first(where: { $0.value == column })?.key {
            throw ColumnMapError(kind: .fileColumnMappedTwice,
                                 message: "column \(column) is mapped twice (as \(other) and as \(contract))")
        }
        renames[contract] = column
    }

    public var isEmpty: Bool { renames.isEmpty }

    /// `description=gname, parcel_id=waybill`, in the contract's column order.
    public var description: String {
        Self.contractColumns.compactMap { name in renames[name].map { "\(name)=\($0)" } }.joined(separator: ", ")
    }

    /// The contract column a header name (normalized) is read as, or nil when the header names none: a mapped
    /// column gives its contract column; a contract name that is mapped elsewhere gives nil.
    func contractColumn(forKey key: String) -> String? {
        if let mapped = renames.first(where: { $0.value == key })?.key { return mapped }
        if renames[key] != nil { return nil }
        return key
    }
}

/// Why a column rename cannot be used.
public struct ColumnMapError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Not `contract=column`, or a side is empty.
        case malformed
        /// The left side is not one of the contract's column names.
        case unknownContractColumn = "unknown-contract-column"
        /// The same contract column is mapped twice.
        case contractColumnMappedTwice = "contract-column-mapped-twice"
        /// The same file column is mapped to two contract columns.
        case fileColumnMappedTwice = "file-column-mapped-twice"
    }

    public var kind: Kind
    /// What is wrong and what was expected, e.g. `"desc" is not a contract column; expected one of …`.
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
