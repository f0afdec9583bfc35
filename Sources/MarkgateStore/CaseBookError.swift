/// Why the case book could not do what was asked: which database, what went wrong.
///
/// A struct with a private kind (test it with `is…`); `description` is the sentence to print.
public struct CaseBookError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case cannotOpen, notACaseBook, unknownParcel, alreadyRecorded, database, badRequest
    }

    private let kind: Kind
    /// The database path, or what the request named (a parcel, a file).
    public let subject: String
    /// What went wrong, in a sentence.
    public let reason: String

    private init(_ kind: Kind, _ subject: String, _ reason: String) {
        self.kind = kind
        self.subject = subject
        self.reason = reason
    }

    /// The file is missing, unreadable or not a SQLite database.
    public static func cannotOpen(_ path: String, _ reason: String) -> Self { Self(.cannotOpen, path, reason) }
    /// A SQLite database without the case book's tables.
    public static func notACaseBook(_ path: String) -> Self {
        Self(.notACaseBook, path, "not a markgate case book (no case book migrations)")
    }
    /// No decision names this parcel.
    public static func unknownParcel(_ parcel: String) -> Self {
        Self(.unknownParcel, parcel, "no decision for parcel \(parcel) in the case book")
    }
    /// The source is already in the case book and `--resume` was not asked for.
    public static func alreadyRecorded(_ source: String, records: Int) -> Self {
        Self(.alreadyRecorded, source, "\(source) is already in the case book (\(records) records); "
                + "use --resume to continue it")
    }
    /// SQLite refused a statement.
    public static func database(_ path: String, _ error: any Error) -> Self {
        Self(.database, path, "\(error)")
    }
    /// The request cannot be carried out as asked (a verdict that does not fit, a bad range).
    public static func badRequest(_ subject: String, _ reason: String) -> Self { Self(.badRequest, subject, reason) }

    public var isCannotOpen: Bool { kind == .cannotOpen || kind == .notACaseBook }
    public var isUnknownParcel: Bool { kind == .unknownParcel }
    public var isAlreadyRecorded: Bool { kind == .alreadyRecorded }

    public var description: String {
        switch kind {
        case .cannotOpen: "cannot open the case book \(subject): \(reason)"
        case .notACaseBook: "\(subject): \(reason)"
        case .database: "case book \(subject): \(reason)"
        case .unknownParcel, .alreadyRecorded, .badRequest: reason
        }
    }
}
