/// What normalization does with one Unicode scalar (see `FoldTable`).
enum FoldKind: UInt8, Sendable {
    /// Kept as it is.
    case keep = 0
    /// Replaced under NFKC, case folding, width folding or diacritic removal.
    case normalized = 1
    /// Replaced by the Latin letters it is confusable with (Cyrillic `а` → `a`).
    case homoglyph = 2
    /// A traditional Chinese character replaced by its simplified form (`兒` → `儿`).
    case traditional = 3
    /// Dropped: zero-width and other default-ignorable characters, combining diacritics.
    case remove = 4
    /// Whitespace, punctuation or a symbol: a word separator.
    case separator = 5
}
