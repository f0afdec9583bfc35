import MarkgateCore

/// Checks a loaded register for entries that load but will screen badly: warnings, never errors.
///
/// Pure: give it the marks and where they are written (`RegisterLoader.loadWithLocations(path:)`); a mark
/// without locations is reported at line 1 of `(register)`. What the loader refuses (bad ids, classes, prices,
/// currencies that are not 3 upper-case letters) is not checked again. One warning per problem, in file order:
///
/// - `everyday-name`: a name that is also an everyday word but not one of `generic_names`, so it counts wherever
///   the word is written. A one-word Latin name is judged by its normalized form (`Lexicon.isEverydayEnglishWord`:
///   the English list has it in lower case, not only capitalized as a proper name, so `APPLE`, `COACH`, `PUMA`
///   are everyday words and `NIKE`, `CHANEL`, `GUCCI` are not); a name of 2 to 4 Han characters by its
///   normalized (simplified) form (`Lexicon.isEverydayChineseWord`: a common word that jieba does not tag as a
///   proper name, so `苹果`, `小米` are and `耐克`, `华为` are not). Names of several words are not judged. A
///   variant that is an everyday word is reported too (a variant cannot be generic: it should go).
/// - `shared-name`: a name or variant that normalizes like a name or variant of an earlier mark; every hit on it
///   counts for both marks. Reported at the later one.
/// - `short-name`: a name or variant of 1 or 2 letters or digits (`LV`, `3M`), or of one CJK character, that is
///   not generic: it counts wherever those letters stand alone (`LV cable`, `cable 3m`). Context words confine
///   only generic names, so the remedy is to list it in `generic_names` and give `context`. (A short generic
///   name without context is reported as `generic-without-context`.)
/// - `generic-without-context`: a generic name of a mark without `context`: it counts only beside another of the
///   mark's names, and never when all of them are generic.
/// - `all-names-generic`: every name of a mark is generic, so the mark is flagged only beside a context word
///   (or one of its variants).
/// - `unknown-currency`: a price floor under a code that is not ISO 4217 (`RMB` for `CNY`); declared prices are
///   compared by code, so that floor never applies.
/// - `unmatchable-name`: a name or variant that normalizes to nothing (only punctuation or invisible
///   characters) and so never matches.
public enum RegisterLint {
    /// The warnings for `register`, sorted by location; `locations` by mark id.
    public static func warnings(register: Register, locations: [String: MarkLocations]) -> [Diagnostic] {
        let normalizer = Normalizer()
        var warnings: [Diagnostic] = []
        var firstOwner: [String: (mark: String, text: String, location: SourceLocation)] = [:]

        for mark in register.marks {
            let places = locations[mark.id]
            let markAt = places?.id ?? unknownLocation
            let genericKeys = Set(mark.genericNames.map(normalizer.key))
            let hasContext = mark.context.contains { !normalizer.key($0).isEmpty }
            let entries = mark.names.enumerated().map { index, text in
                Entry(text: text, isVariant: false, location: places?.names[safe: index] ?? markAt)
            } + mark.variants.enumerated().map { index, text in
                Entry(text: text, isVariant: true, location: places?.variants[safe: index] ?? markAt)
            }

            for entry in entries {
                let key = normalizer.key(entry.text)
                let what = "\(entry.isVariant ? "variant" : "name") \"\(entry.text)\" of \(mark.id)"
                guard !key.isEmpty else {
                    warnings.append(.warning(.unmatchableName, at: entry.location,
                                             "\(what) normalizes to nothing (only punctuation or invisible "
                                                 + "characters) and never matches"))
                    continue
                }
                let isGeneric = genericKeys.contains(key)
                if !isGeneric, let language = everydayLanguage(ofKey: key) {
                    let remedy = entry.isVariant
                        ? "a variant cannot be generic: remove it"
                        : "list it in generic_names (with context words) so that it counts only in context"
                    warnings.append(.warning(.everydayName, at: entry.location,
                                             "\(what) is an everyday \(language) word (\"\(key)\"), so it "
                                                 + "counts wherever the word is written; \(remedy)"))
                }
                if !isGeneric, isShort(key: key) {
                    let remedy = entry.isVariant
                        ? "remove it"
                        : "list it in generic_names and give context words so that it counts only in context"
                    warnings.append(.warning(.shortName, at: entry.location,
                                             "\(what) is \(shortDescription(key: key)), so it counts wherever "
                                                 + "it stands alone; \(remedy)"))
                }
                if let first = firstOwner[key] {
                    if first.mark != mark.id {
                        warnings.append(.warning(.sharedName, at: entry.location,
                                                 "\(what) reads like \"\(first.text)\" of \(first.mark) (defined at "
                                                     + "\(first.location)): every hit on \"\(key)\" counts for "
                                                     + "both marks"))
                    }
                } else {
                    firstOwner[key] = (mark.id, entry.text, entry.location)
                }
            }

            let genericNames = mark.names.filter { genericKeys.contains(normalizer.key($0)) }
            let allGeneric = !mark.names.isEmpty && genericNames.count == mark.names.count
            if !hasContext {
                for (index, name) in mark.genericNames.enumerated() {
                    let consequence = allGeneric
                        ? "every name of \(mark.id) is generic, so it can never count"
                        : "it counts only beside another of \(mark.id)'s names"
                    warnings.append(.warning(.genericWithoutContext,
                                             at: places?.genericNames[safe: index] ?? markAt,
                                             "generic name \"\(name)\" of \(mark.id) has no context words: "
                                                 + consequence))
                }
            }
            if allGeneric {
                let counts = mark.variants.isEmpty ? "beside a context word" : "beside a context word or a variant"
                let tail = hasContext ? "" : " (and it has no context words)"
                warnings.append(.warning(.allNamesGeneric, at: markAt,
                                         "every name of \(mark.id) is generic: it is flagged only \(counts)\(tail)"))
            }

            for floor in mark.minUnitPrice where !iso4217.contains(floor.currency) {
                let hint = floor.currency == "RMB" ? " (the yuan is CNY)" : ""
                warnings.append(.warning(.unknownCurrency, at: places?.minUnitPrice ?? markAt,
                                         "price floor of \(mark.id) in \"\(floor.currency)\" is not an ISO 4217 "
                                             + "currency\(hint): declared prices never match it"))
            }
        }

        return warnings.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            return (l.file, l.line, l.column, a.offset) < (r.file, r.line, r.column, b.offset)
        }.map(\.element)
    }

    /// "English" or "Chinese" when the normalized name `key` is an everyday word of that language (see the type's
    /// documentation); nil otherwise, and for names of several words.
    public static func everydayLanguage(ofKey key: String) -> String? {
        let scalars = key.unicodeScalars
        if scalars.allSatisfy({ ("a"..."z").contains($0) }) {
            return Lexicon.isEverydayEnglishWord(key) ? "English" : nil
        }
        if (2...4).contains(scalars.count), scalars.allSatisfy(isHan) {
            return Lexicon.isEverydayChineseWord(key) ? "Chinese" : nil
        }
        return nil
    }

    /// Whether the normalized name `key` is 1 or 2 letters or digits, or one CJK character.
    public static func isShort(key: String) -> Bool {
        let scalars = key.unicodeScalars.filter { $0 != " " }
        if scalars.allSatisfy(NameScript.isCJK) { return scalars.count == 1 }
        return scalars.count <= 2
    }

    private static func shortDescription(key: String) -> String {
        let scalars = key.unicodeScalars.filter { $0 != " " }
        if scalars.allSatisfy(NameScript.isCJK) { return "one character" }
        return scalars.count == 1 ? "one letter or digit" : "two letters or digits"
    }

    private struct Entry {
        var text: String
        var isVariant: Bool
        var location: SourceLocation
    }

    private static let unknownLocation = SourceLocation(file: "(register)", line: 1, column: 1)

    /// The Han ranges of the word lists (`Lexicon`).
    private static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        (0x3400...0x4DBF).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value)
    }

    /// ISO 4217 alphabetic codes: current ones, with recently withdrawn ones still seen in declarations (HRK, SLL,
    /// ZWL, ANG).
    static let iso4217: Set<String> = Set("""
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD \
        CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP \
        GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW \
        KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD \
        NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE \
        SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED \
        VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG \
        ZWL
        """.split(separator: " ").map(String.init))
}

extension Diagnostic.Kind {
    /// A name that is also an everyday word but not generic (`RegisterLint`).
    public static let everydayName = Diagnostic.Kind(rawValue: "everyday-name")
    /// A name or variant shared, after normalization, with another mark.
    public static let sharedName = Diagnostic.Kind(rawValue: "shared-name")
    /// A name or variant of 1–2 letters or digits, or one CJK character, that is not generic.
    public static let shortName = Diagnostic.Kind(rawValue: "short-name")
    /// A generic name of a mark without context words.
    public static let genericWithoutContext = Diagnostic.Kind(rawValue: "generic-without-context")
    /// A mark whose every name is generic.
    public static let allNamesGeneric = Diagnostic.Kind(rawValue: "all-names-generic")
    /// A price floor under a currency code that is not ISO 4217.
    public static let unknownCurrency = Diagnostic.Kind(rawValue: "unknown-currency")
    /// A name or variant that normalizes to nothing.
    public static let unmatchableName = Diagnostic.Kind(rawValue: "unmatchable-name")
}

extension Array {
    /// The element at `index`, or nil when out of range.
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
