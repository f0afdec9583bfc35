import MarkgateCore

/// Where a mark of a register and its parts are written: for messages about them (`RegisterLint`).
///
/// Kept by `RegisterLoader.loadWithLocations(path:)` for each mark free of errors, by id. Each list runs
/// parallel to the mark's own (`names[i]` is where `Mark.names[i]` is written).
public struct MarkLocations: Sendable, Hashable {
    /// The mark's mapping (its first key).
    public var mark: SourceLocation
    /// The value of `id`.
    public var id: SourceLocation
    /// One per `Mark.names`.
    public var names: [SourceLocation]
    /// One per `Mark.variants`.
    public var variants: [SourceLocation]
    /// One per `Mark.genericNames`: the `generic_names` entry.
    public var genericNames: [SourceLocation]
    /// The value of `context`, when written.
    public var context: SourceLocation?
    /// The value of `min_unit_price`, when written.
    public var minUnitPrice: SourceLocation?

    public init(
        mark: SourceLocation,
        id: SourceLocation,
        names: [SourceLocation],
        variants: [SourceLocation] = [],
        genericNames: [SourceLocation] = [],
        context: SourceLocation? = nil,
        minUnitPrice: SourceLocation? = nil
    ) {
        self.mark = mark
        self.id = id
        self.names = names
        self.variants = variants
        self.genericNames = genericNames
        self.context = context
        self.minUnitPrice = minUnitPrice
    }

}
