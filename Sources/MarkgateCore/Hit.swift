/// One protected name found in a text (contract §3, an element of `hits`).
///
/// `start ..< end` are offsets in Unicode scalars of the original text, so a user interface can highlight
/// exactly the declared characters; `matched` is that slice. `line` and `field` say which item and field
/// of a parcel the text was, where the caller knows.
public struct Hit: Sendable, Hashable, Codable {
    public var mark: String
    public var name: String
    public var matched: String
    public var line: Int?
    public var field: String?
    public var start: Int
    public var end: Int
    public var method: MatchMethod
    public var similarity: Double

    public init(mark: String, name: String, matched: String, line: Int? = nil, field: String? = nil,
                start: Int, end: Int, method: MatchMethod, similarity: Double = 1) {
        self.mark = mark
        self.name = name
        self.matched = matched
        self.line = line
        self.field = field
        self.start = start
        self.end = end
        self.method = method
        self.similarity = similarity
    }
}
