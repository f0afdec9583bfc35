/// One protected mark of the register (contract §1).
///
/// A mark is matched through every one of its `names` and `variants`. `classes` empty means all goods.
/// Validation (unique ids, classes 1–45, positive prices) is the loader's job; the core trusts its input.
public struct Mark: Sendable, Hashable, Codable {
    public var id: String
    public var names: [String]
    public var variants: [String]
    public var kind: MarkKind
    public var classes: [Int]
    public var owner: String?
    public var recordation: String?
    public var licensees: [String]
    public var genericNames: [String]
    public var context: [String]
    public var minUnitPrice: [PriceFloor]

    public init(
        id: String,
        names: [String],
        variants: [String] = [],
        kind: MarkKind = .trademark,
        classes: [Int] = [],
        owner: String? = nil,
        recordation: String? = nil,
        licensees: [String] = [],
        genericNames: [String] = [],
        context: [String] = [],
        minUnitPrice: [PriceFloor] = []
    ) {
        self.id = id
        self.names = names
        self.variants = variants
        self.kind = kind
        self.classes = classes
        self.owner = owner
        self.recordation = recordation
        self.licensees = licensees
        self.genericNames = genericNames
        self.context = context
        self.minUnitPrice = minUnitPrice
    }

    /// Whether the mark protects goods of Nice class `niceClass` (well-known marks protect all classes).
    public func covers(niceClass: Int) -> Bool {
        kind == .wellKnown || classes.isEmpty || classes.contains(niceClass)
    }
}
