/// A problem found while reading an input: a value, not a throw.
///
/// Loaders collect diagnostics and go on; a caller decides what is fatal (any `.error` in a register is).
/// `kind` is stable and meant for matching in code and tests; `message` is for people.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    /// What went wrong, stable across releases.
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file is not valid YAML (or could not be read).
        public static let syntax = Kind(rawValue: "syntax")
        /// A file or folder could not be read.
        public static let unreadable = Kind(rawValue: "unreadable")
        /// A required key is absent.
        public static let missingField = Kind(rawValue: "missing-field")
        /// A value has the wrong YAML type (a list where a string is expected, ...).
        public static let wrongType = Kind(rawValue: "wrong-type")
        /// A key the contract does not define.
        public static let unknownKey = Kind(rawValue: "unknown-key")
        /// An id that is not `[A-Za-z0-9._-]+`.
        public static let badId = Kind(rawValue: "bad-id")
        /// Two marks share an id (within one file or across the files of a folder).
        public static let duplicateId = Kind(rawValue: "duplicate-id")
        /// `names` absent, empty, or holding an empty string.
        public static let emptyNames = Kind(rawValue: "empty-names")
        /// `kind` outside trademark | well-known | time-honored | geographic-indication.
        public static let unknownKind = Kind(rawValue: "unknown-kind")
        /// A Nice class outside 1–45.
        public static let badClass = Kind(rawValue: "bad-class")
        /// A price floor that is not a positive number under an ISO 4217 code.
        public static let badPrice = Kind(rawValue: "bad-price")
        /// A generic name that is not one of the mark's names.
        public static let badGenericName = Kind(rawValue: "bad-generic-name")
        /// Unsupported register `version`.
        public static let badVersion = Kind(rawValue: "bad-version")
    }

    public var severity: Severity
    public var kind: Kind
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ kind: Kind, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.kind = kind
        self.location = location
        self.message = message
    }

    public static func error(_ kind: Kind, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, kind, at: location, message)
    }

    public static func warning(_ kind: Kind, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, kind, at: location, message)
    }

    /// `file:line:column: error: message [kind]`.
    public var description: String { "\(location): \(severity.rawValue): \(message) [\(kind)]" }
}
