/// An input record that could not be read: it yields this in place of a decision (contract §3).
///
/// `parcel` is nil when no id could be read; `location` says where (file, line, column).
public struct RecordError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var parcel: String?
    public var location: SourceLocation
    public var message: String

    public init(parcel: String?, location: SourceLocation, message: String) {
        self.parcel = parcel
        self.location = location
        self.message = message
    }

    /// `line L, column C: message`, the contract's `error` text.
    public var description: String { "line \(location.line), column \(location.column): \(message)" }
}
