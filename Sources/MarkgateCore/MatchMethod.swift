/// How a protected name was found in the text (contract §3, `method`).
public enum MatchMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// The original characters are the register name, to the letter.
    case exact
    /// Equal after case, width, compatibility, diacritic, spacing or punctuation folding.
    case normalized
    /// A known knock-off spelling listed under the mark's `variants`.
    case variant
    /// Equal after replacing cross-script look-alikes (Cyrillic, Greek, ...).
    case homoglyph
    /// Within the edit budget of a name.
    case fuzzy
    /// Equal after simplifying traditional Chinese characters.
    case traditional
    /// A Chinese name with a character replaced by a same-sound character.
    case homophone
    /// A Chinese name written in toneless pinyin.
    case pinyin
}
