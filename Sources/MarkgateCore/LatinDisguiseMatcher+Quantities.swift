extension LatinDisguiseMatcher {
    /// Whether a token of normalized text is a quantity: digits followed by a unit of measure (`100ml`, `2m`,
    /// `128gb`, `10000mah`, `3pcs`).
    ///
    /// A quantity is plain, as a number is: it is no disguise, and a name is not split around it, so it takes no
    /// part in fuzzy, joined or leetspeak windows (`parfum 100ml` is not tried as `parfum100ml` or `parfumiooml`)
    /// and is never cut for a glued name. A name glued to one (`dior100ml`) is still found, as one glued to a
    /// number is. Manifests carry quantities in most descriptions; tried as windows they only cost lookups.
    static func isQuantity(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < token.count, token[index] &- 0x30 < 10 { index += 1 }
        let unitLength = token.count - index
        guard index > 0, unitLength > 0, unitLength <= 8 else { return false }
        var packed: UInt64 = 0
        for offset in index..<token.count {
            let byte = token[offset]
            guard byte &- 0x61 < 26 else { return false }
            packed = packed << 8 | UInt64(byte)
        }
        return measureUnits.contains(packed)
    }

    /// Units of measure written after a number in goods descriptions: volume, mass, length, data, electrical,
    /// frequency and count. Lower-case, as normalized text has them; each packed as `isQuantity` packs it.
    static let unitsOfMeasure = [
        "ml", "cl", "dl", "l", "oz", "gal",                     // volume
        "mg", "g", "kg", "lb", "lbs", "ct",                     // mass (ct: carat)
        "mm", "cm", "m", "km", "in", "inch", "ft",              // length
        "kb", "mb", "gb", "tb",                                 // data
        "mah", "ah", "wh", "kwh", "w", "kw", "v",               // electrical
        "hz", "khz", "mhz", "ghz",                              // frequency
        "pcs", "pc", "pk", "pack", "pair", "pairs", "x",        // count
    ]

    private static let measureUnits: Set<UInt64> = Set(unitsOfMeasure.map { unit in
        unit.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    })
}
