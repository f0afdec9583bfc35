import Foundation
import MarkgateCore
import Yams

extension Diagnostic.Kind {
    /// A signal weight that is not a number from 0 to 1.
    public static let badWeight = Diagnostic.Kind(rawValue: "bad-weight")
    /// A `review` or `inspect` threshold outside 0 < t ≤ 1, or `review` above `inspect`.
    public static let badThreshold = Diagnostic.Kind(rawValue: "bad-threshold")
    /// A key of `weights` that names no signal.
    public static let unknownSignal = Diagnostic.Kind(rawValue: "unknown-signal")
    /// A conversion rate that is not a positive number.
    public static let badRate = Diagnostic.Kind(rawValue: "bad-rate")
    /// A currency that is not an ISO 4217 code (3 upper-case letters).
    public static let badCurrency = Diagnostic.Kind(rawValue: "bad-currency")
    /// An origin that is not an ISO 3166 alpha-2 code (2 letters).
    public static let badOrigin = Diagnostic.Kind(rawValue: "bad-origin")
    /// A commercial quantity that is not a positive number.
    public static let badQuantity = Diagnostic.Kind(rawValue: "bad-quantity")
    /// An empty slang term (or, as a lint warning, one that normalizes to nothing and can never match).
    public static let emptyTerm = Diagnostic.Kind(rawValue: "empty-term")
    /// A key written twice in one mapping.
    public static let duplicateKey = Diagnostic.Kind(rawValue: "duplicate-key")
}

/// A rules file that could not be loaded: every error found, in file order.
///
/// Thrown by `RulesLoader.load(path:)`; warnings are not included (they are returned when loading succeeds).
public struct RulesLoadError: DiagnosticsError, Hashable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}

/// Where the values of a rules file were written, so that lint warnings can point into the file.
///
/// Lists run parallel to those of the `Rules` loaded with them (`slang[i]` is where `rules.slang[i]` was
/// written). Rules that come from no file (`Rules.builtIn`) have an empty table: every lookup falls back to
/// `start`.
public struct RulesLocations: Sendable, Hashable {
    public var file: String
    /// The `review` and `inspect` values.
    public var review: SourceLocation?
    public var inspect: SourceLocation?
    /// The `weights` key, and each signal's key under it.
    public var weights: SourceLocation?
    public var weightOf: [Signal: SourceLocation] = [:]
    /// Each slang term.
    public var slang: [SourceLocation] = []
    /// Each denylist entry's `name` value.
    public var denylist: [SourceLocation] = []
    /// Each allowlist entry's `mark` value.
    public var allowlist: [SourceLocation] = []
    /// The `rates` key.
    public var rates: SourceLocation?

    public init(file: String) {
        self.file = file
    }

    /// Line 1, column 1 of the file: where warnings about values written nowhere point.
    public var start: SourceLocation { SourceLocation(file: file, line: 1, column: 1) }

    /// `list[index]`, or `start` when the list is shorter.
    func at(_ list: [SourceLocation], _ index: Int) -> SourceLocation {
        list.indices.contains(index) ? list[index] : start
    }
}

/// Loads and validates the analysts' rules (`Rules/rules.yaml`) into `Rules`.
///
/// ```yaml
/// version: 1
/// thresholds: {review: 0.5, inspect: 0.8}
/// weights: {mark-exact: 0.6, price-below-floor: 0.3}
/// slang: [replica, 高仿]
/// denylist: [{name: ACME Trading, note: three seizures in 2025}]
/// allowlist: [{consignor: Nike Commercial, mark: NIKE, note: case 2026-114}]
/// quantity: {commercial: 20}
/// origins: {risky: [CN]}
/// rates: {USD: 1, CNY: 0.14}
/// ```
///
/// `version`, `thresholds` and `weights` are required; the rest may be left out (empty, or no commercial
/// quantity). Every problem is an error reported at its node (1-based line and column, columns in Unicode
/// scalars), and validation never stops at the first: an unknown key anywhere, a key written twice, a wrong
/// type, a weight or threshold outside 0–1, `review` above `inspect`, an unknown signal, an unsupported
/// version, a rate that is not positive, a currency that is not 3 upper-case letters, an origin that is not 2
/// letters, an empty slang term, and list entries missing their `name`, `consignor` or `mark`. Judgement calls
/// that are not errors (a weight of 0, an allowlisted mark the register lacks) are `RulesLint`'s.
public enum RulesLoader {
    /// Loads and validates a rules file; throws `RulesLoadError` with every error diagnostic on any error.
    ///
    /// `text` is the file's text (UTF-8, a leading BOM dropped); `warnings` are the loader's warnings (none
    /// today: every problem the loader finds is an error); `locations` feeds `RulesLint`. The content hash
    /// of decisions is of the file's bytes (`ContentHash.file(at:)`).
    public static func load(path: String) throws(RulesLoadError)
        -> (rules: Rules, text: String, warnings: [Diagnostic], locations: RulesLocations) {
        let start = SourceLocation(file: path, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RulesLoadError(diagnostics: [.error(.unreadable, at: start, "no such file")])
        }
        guard !isDirectory.boolValue else {
            throw RulesLoadError(diagnostics: [.error(.unreadable, at: start, "is a folder, not a YAML file")])
        }
        switch RegisterLoader.read(file: path) {
        case .unreadable(let diagnostic):
            throw RulesLoadError(diagnostics: [diagnostic])
        case .text(let text):
            let (rules, diagnostics, locations) = parse(yaml: text, file: path)
            guard let rules, !diagnostics.contains(where: { $0.severity == .error }) else {
                throw RulesLoadError(diagnostics: diagnostics.filter { $0.severity == .error })
            }
            return (rules, text, diagnostics, locations)
        }
    }

    /// Parses one YAML document; never throws. `file` is used in diagnostics' locations only.
    ///
    /// `rules` is nil when there is any error; `diagnostics` are in reading order.
    public static func parse(yaml: String, file: String)
        -> (rules: Rules?, diagnostics: [Diagnostic], locations: RulesLocations) {
        let (root, composed, duplicates) = YAMLText.compose(
            yaml: yaml, file: file,
            duplicate: { copy, location, first in
                .error(.duplicateKey, at: location, "duplicate key \"\(copy.key)\" (first at \(first))")
            },
            unlocated: { keys, location in
                let list = keys.map { "\"\($0)\"" }.joined(separator: ", ")
                return .error(.duplicateKey, at: location, "duplicate key \(list) in a mapping")
            })
        guard composed else { return (nil, YAMLText.inReadingOrder(duplicates), RulesLocations(file: file)) }
        var validator = Validator(file: file)
        let rules = validator.rules(root)
        let diagnostics = YAMLText.inReadingOrder(duplicates + validator.diagnostics)
        let failed = diagnostics.contains { $0.severity == .error }
        return (failed ? nil : rules, diagnostics, validator.locations)
    }
}
