/// The protection register: the marks whose goods are screened.
///
/// A value type; building a matcher from it (`MarkMatcher(register:)`) is a separate, explicit step.
public struct Register: Sendable, Hashable, Codable {
    public var version: Int
    public var marks: [Mark]

    public init(version: Int = 1, marks: [Mark]) {
        self.version = version
        self.marks = marks
    }

    /// The mark with id `id`, if any.
    public func mark(id: String) -> Mark? {
        marks.first { $0.id == id }
    }
}
