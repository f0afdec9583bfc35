/// A piece of evidence the rules weigh; its raw value is the `rule` of the `reasons` entry it produces.
///
/// Mark signals (`mark-*`) fire once per mark a parcel names, by the strongest hit of that mark. The others
/// fire at most once per parcel (`slang`, `denylisted-consignor`, `several-marks`) or once per mark
/// (`class-coherent`, `price-below-floor`, `commercial-quantity`, `risky-origin`: on an item that names
/// the mark).
public enum Signal: String, Sendable, Hashable, CaseIterable, Codable {
    case markExact = "mark-exact"
    case markNormalized = "mark-normalized"
    case markVariant = "mark-variant"
    case markHomoglyph = "mark-homoglyph"
    case markTraditional = "mark-traditional"
    case markPinyin = "mark-pinyin"
    case markHomophone = "mark-homophone"
    case markFuzzy = "mark-fuzzy"
    /// Added to `mark-fuzzy` per unit of similarity (a fuzzy hit weighs `mark-fuzzy + this × similarity`).
    case markFuzzySimilarity = "mark-fuzzy-similarity"
    /// The goods' HS code falls in one of the mark's Nice classes.
    case classCoherent = "class-coherent"
    /// A declared unit price below the mark's `min_unit_price` (converted when the currencies differ).
    case priceBelowFloor = "price-below-floor"
    /// A counterfeit slang word (`replica`, `高仿`) anywhere in the parcel.
    case slang
    /// The consignor is on the rules' denylist.
    case denylistedConsignor = "denylisted-consignor"
    /// An item naming a mark is declared in a commercial quantity.
    case commercialQuantity = "commercial-quantity"
    /// The parcel names two marks or more.
    case severalMarks = "several-marks"
    /// An item naming a mark comes from an origin the rules list.
    case riskyOrigin = "risky-origin"

    /// The mark signal for a match method.
    public static func mark(_ method: MatchMethod) -> Signal {
        switch method {
        case .exact: .markExact
        case .normalized: .markNormalized
        case .variant: .markVariant
        case .homoglyph: .markHomoglyph
        case .traditional: .markTraditional
        case .pinyin: .markPinyin
        case .homophone: .markHomophone
        case .fuzzy: .markFuzzy
        }
    }
}
