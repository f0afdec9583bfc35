import Foundation
import MarkgateCore
import Yams

extension RulesLoader {
    /// The keys of each mapping of a rules file, in the order the shipped file writes them.
    static let topLevelKeys = [
        "version", "thresholds", "weights", "slang", "denylist", "allowlist", "quantity", "origins", "rates",
    ]
    static let thresholdKeys = ["review", "inspect"]
    static let denylistKeys = ["name", "note"]
    static let allowlistKeys = ["consignor", "mark", "note"]
    static let quantityKeys = ["commercial"]
    static let originKeys = ["risky"]

    /// Walks a composed YAML tree, building `Rules`, noting where values were written and collecting one
    /// diagnostic per problem.
    struct Validator: YAMLValidating {
        let file: String
        var diagnostics: [Diagnostic] = []
        var locations: RulesLocations

        init(file: String) {
            self.file = file
            self.locations = RulesLocations(file: file)
        }

        // MARK: Top level

        /// The rules, when the tree holds every required part; check `diagnostics` for errors before use.
        mutating func rules(_ root: Node?) -> Rules? {
            guard let root else {
                error(.missingField, at: SourceLocation(file: file, line: 1, column: 1),
                      "empty rules file: expected a mapping with `version`, `thresholds` and `weights`")
                return nil
            }
            guard case .mapping(let top) = root else {
                error(.wrongType, root, "expected a mapping with `version`, `thresholds` and `weights` at the top "
                        + "level, found \(describe(root))")
                return nil
            }
            let fields = self.fields(top, allowed: RulesLoader.topLevelKeys, in: "at the top level")

            if let node = fields["version"] {
                version(node.value)
            } else {
                error(.missingField, root, "missing `version: 1`")
            }
            let thresholds = fields["thresholds"].flatMap { self.thresholds($0.value) }
            if fields["thresholds"] == nil {
                error(.missingField, root, "missing `thresholds` (e.g. {review: 0.5, inspect: 0.8})")
            }
            var weights: [Signal: Double]?
            if let node = fields["weights"] {
                locations.weights = location(node.key)
                weights = self.weights(node.value)
            } else {
                error(.missingField, root, "missing `weights` (a weight from 0 to 1 for each signal)")
            }
            let slang = fields["slang"].map { self.slang($0.value) } ?? []
            let denylist = fields["denylist"].map { self.denylist($0.value) } ?? []
            let allowlist = fields["allowlist"].map { self.allowlist($0.value) } ?? []
            let commercialQuantity = fields["quantity"].flatMap { self.quantity($0.value) }
            let riskyOrigins = fields["origins"].map { self.origins($0.value) } ?? []
            if let node = fields["rates"] { locations.rates = location(node.key) }
            let rates = fields["rates"].map { self.rates($0.value) } ?? [:]

            guard let thresholds, let weights else { return nil }
            return Rules(review: thresholds.review, inspect: thresholds.inspect, weights: weights, slang: slang,
                         denylist: denylist, allowlist: allowlist, commercialQuantity: commercialQuantity,
                         riskyOrigins: riskyOrigins, rates: rates)
        }

        mutating func version(_ node: Node) {
            if let number = integer(node) {
                if number != 1 { error(.badVersion, node, "unsupported version \(number) (expected 1)") }
            } else {
                error(.badVersion, node, "version must be the integer 1, found \(describe(node))")
            }
        }

        // MARK: Thresholds and weights

        mutating func thresholds(_ node: Node) -> (review: Double, inspect: Double)? {
            guard case .mapping(let mapping) = node else {
                error(.wrongType, node, "`thresholds` must be a mapping such as {review: 0.5, inspect: 0.8}, "
                        + "found \(describe(node))")
                return nil
            }
            let fields = self.fields(mapping, allowed: RulesLoader.thresholdKeys, in: "in `thresholds`")
            var values: [String: Double] = [:]
            for name in RulesLoader.thresholdKeys {
                guard let value = fields[name]?.value else {
                    error(.missingField, node, "`thresholds` has no `\(name)` (a score from 0 to 1)")
                    continue
                }
                if name == "review" { locations.review = location(value) } else { locations.inspect = location(value) }
                guard let number = number(value) else {
                    error(.wrongType, value, "`\(name)` must be a number from 0 to 1, found \(describeNumber(value))")
                    continue
                }
                guard number.isFinite, number > 0, number <= 1 else {
                    error(.badThreshold, value, "`\(name)` is \(DecimalText.text(number)); it must be above 0 and at "
                            + "most 1" + (number == 0 ? " (at 0, every parcel would be flagged)" : ""))
                    continue
                }
                values[name] = number
            }
            guard let review = values["review"], let inspect = values["inspect"] else { return nil }
            if review > inspect, let node = fields["review"]?.value {
                error(.badThreshold, node, "`review` \(DecimalText.text(review)) is above `inspect` "
                        + "\(DecimalText.text(inspect)); review must not exceed inspect")
                return nil
            }
            return (review, inspect)
        }

        mutating func weights(_ node: Node) -> [Signal: Double]? {
            guard case .mapping(let mapping) = node else {
                error(.wrongType, node, "`weights` must map signals to weights from 0 to 1, e.g. {mark-exact: 0.6}, "
                        + "found \(describe(node))")
                return nil
            }
            let known = Signal.allCases.map(\.rawValue)
            var weights: [Signal: Double] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string, let signal = Signal(rawValue: name) else {
                    error(.unknownSignal, key, unknownKeyMessage(key, known: known, in: "in `weights`",
                                                                 what: "signal"))
                    continue
                }
                locations.weightOf[signal] = location(key)
                guard let weight = number(value) else {
                    error(.wrongType, value, "the weight of \(name) must be a number from 0 to 1, found "
                            + "\(describeNumber(value))")
                    continue
                }
                guard weight.isFinite, (0...1).contains(weight) else {
                    error(.badWeight, value, "the weight of \(name) is \(DecimalText.text(weight)); weights run from "
                            + "0 (never fires) to 1")
                    continue
                }
                weights[signal] = weight
            }
            return weights
        }

        // MARK: Lists

        mutating func slang(_ node: Node) -> [String] {
            guard let items = sequence(node, field: "slang", example: "[replica, 高仿]") else { return [] }
            var terms: [String] = []
            for item in items {
                guard case .scalar(let scalar) = item else {
                    error(.wrongType, item, "`slang` must hold words or phrases, found \(describe(item))")
                    continue
                }
                let term = isNull(item) ? "" : scalar.string
                guard !term.allSatisfy(\.isWhitespace) else {
                    error(.emptyTerm, item, "empty slang term")
                    continue
                }
                terms.append(term)
                locations.slang.append(location(item))
            }
            return terms
        }

        mutating func denylist(_ node: Node) -> [Rules.ListedParty] {
            let example = "[{name: ACME Trading, note: three seizures in 2025}]"
            guard let items = sequence(node, field: "denylist", example: example) else { return [] }
            var parties: [Rules.ListedParty] = []
            for item in items {
                guard case .mapping(let mapping) = item else {
                    error(.wrongType, item, "a denylist entry must be a mapping such as {name: ACME Trading, note: "
                            + "why}, found \(describe(item))")
                    continue
                }
                let fields = self.fields(mapping, allowed: RulesLoader.denylistKeys, in: "in a denylist entry")
                let name = required(fields["name"]?.value, field: "name", entry: item, of: "denylist entry",
                                    what: "the consignor's name")
                let note = string(fields["note"]?.value, field: "note")
                guard let name, let nameNode = fields["name"]?.value else { continue }
                parties.append(Rules.ListedParty(name: name, note: note))
                locations.denylist.append(location(nameNode))
            }
            return parties
        }

        mutating func allowlist(_ node: Node) -> [Rules.DecidedPair] {
            let example = "[{consignor: Nike Commercial, mark: NIKE, note: case 2026-114}]"
            guard let items = sequence(node, field: "allowlist", example: example) else { return [] }
            var pairs: [Rules.DecidedPair] = []
            for item in items {
                guard case .mapping(let mapping) = item else {
                    error(.wrongType, item, "an allowlist entry must be a mapping such as {consignor: Nike "
                            + "Commercial, mark: NIKE, note: why}, found \(describe(item))")
                    continue
                }
                let fields = self.fields(mapping, allowed: RulesLoader.allowlistKeys, in: "in an allowlist entry")
                let consignor = required(fields["consignor"]?.value, field: "consignor", entry: item,
                                         of: "allowlist entry", what: "the consignor's name")
                var mark = required(fields["mark"]?.value, field: "mark", entry: item, of: "allowlist entry",
                                    what: "a mark id of the register")
                if let id = mark, let markNode = fields["mark"]?.value,
                   !id.unicodeScalars.allSatisfy(RegisterLoader.Validator.isIdCharacter) {
                    error(.badId, markNode, "mark id \"\(id)\" may hold only letters, digits, '.', '_' and '-'")
                    mark = nil
                }
                let note = string(fields["note"]?.value, field: "note")
                guard let consignor, let mark, let markNode = fields["mark"]?.value else { continue }
                pairs.append(Rules.DecidedPair(consignor: consignor, mark: mark, note: note))
                locations.allowlist.append(location(markNode))
            }
            return pairs
        }

        // MARK: Quantity, origins, rates

        mutating func quantity(_ node: Node) -> Double? {
            if isNull(node) { return nil }
            guard case .mapping(let mapping) = node else {
                error(.wrongType, node, "`quantity` must be a mapping such as {commercial: 20}, found "
                        + "\(describe(node))")
                return nil
            }
            let fields = self.fields(mapping, allowed: RulesLoader.quantityKeys, in: "in `quantity`")
            guard let value = fields["commercial"]?.value, !isNull(value) else { return nil }
            guard let number = number(value) else {
                error(.wrongType, value, "`commercial` must be a number of units, found \(describeNumber(value))")
                return nil
            }
            guard number.isFinite, number > 0 else {
                error(.badQuantity, value, "`commercial` is \(DecimalText.text(number)); it must be a positive "
                        + "number of units (leave it out to never weigh quantities)")
                return nil
            }
            return number
        }

        mutating func origins(_ node: Node) -> [String] {
            if isNull(node) { return [] }
            guard case .mapping(let mapping) = node else {
                error(.wrongType, node, "`origins` must be a mapping such as {risky: [CN, HK]}, found "
                        + "\(describe(node))")
                return []
            }
            let fields = self.fields(mapping, allowed: RulesLoader.originKeys, in: "in `origins`")
            guard let value = fields["risky"]?.value,
                  let items = sequence(value, field: "risky", example: "[CN, HK]") else { return [] }
            var origins: [String] = []
            for item in items {
                // As written: an unquoted NO (Norway) is a boolean to YAML 1.1, but its letters are all here.
                guard case .scalar(let scalar) = item, !isNull(item) else {
                    error(.wrongType, item, "an origin must be an ISO 3166 alpha-2 code such as CN, found "
                            + "\(describe(item))")
                    continue
                }
                let code = scalar.string
                guard code.unicodeScalars.count == 2,
                      code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else {
                    error(.badOrigin, item, "origin \"\(code)\" is not an ISO 3166 alpha-2 code (2 letters, e.g. CN)")
                    continue
                }
                let upper = code.uppercased()
                if !origins.contains(upper) { origins.append(upper) }
            }
            return origins
        }

        mutating func rates(_ node: Node) -> [String: Double] {
            if isNull(node) { return [:] }
            guard case .mapping(let mapping) = node else {
                error(.wrongType, node, "`rates` must map currency codes to the value of one unit, e.g. "
                        + "{USD: 1, CNY: 0.14}, found \(describe(node))")
                return [:]
            }
            var rates: [String: Double] = [:]
            for (key, value) in mapping {
                let code = key.scalar?.string ?? ""
                let isCode = code.unicodeScalars.count == 3
                    && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
                if !isCode {
                    error(.badCurrency, key, "currency \(describe(key)) is not an ISO 4217 code (3 upper-case "
                            + "letters, e.g. USD)")
                }
                guard let rate = number(value) else {
                    error(.wrongType, value, "the rate of \(code) must be a number, found \(describeNumber(value))")
                    continue
                }
                guard rate.isFinite, rate > 0 else {
                    error(.badRate, value, "the rate of \(code) is \(DecimalText.text(rate)); a rate is the positive "
                            + "value of one unit")
                    continue
                }
                if isCode { rates[code] = rate }
            }
            return rates
        }

        // MARK: Mappings, scalars and lists

        /// The mapping's values by key, each with its key node; a key not in `allowed` is an error.
        mutating func fields(_ mapping: Node.Mapping, allowed: [String], in place: String)
            -> [String: (key: Node, value: Node)] {
            var fields: [String: (key: Node, value: Node)] = [:]
            for (key, value) in mapping {
                if let name = key.scalar?.string, allowed.contains(name) {
                    fields[name] = (key, value)
                } else {
                    error(.unknownKey, key, unknownKeyMessage(key, known: allowed, in: place))
                }
            }
            return fields
        }

        /// The items of a list; null is an empty list, anything else an error (nil).
        mutating func sequence(_ node: Node, field: String, example: String) -> [Node]? {
            if isNull(node) { return [] }
            guard case .sequence(let items) = node else {
                error(.wrongType, node, "`\(field)` must be a list, e.g. \(example), found \(describe(node))")
                return nil
            }
            return Array(items)
        }

        /// A required string of a list entry: absent, null or blank is `.missingField` at the entry.
        mutating func required(_ node: Node?, field: String, entry: Node, of kind: String, what: String) -> String? {
            guard let node, !isNull(node) else {
                error(.missingField, entry, "\(kind) has no `\(field)` (\(what))")
                return nil
            }
            guard case .scalar(let scalar) = node else {
                error(.wrongType, node, "`\(field)` must be a string, found \(describe(node))")
                return nil
            }
            guard !scalar.string.allSatisfy(\.isWhitespace) else {
                error(.missingField, node, "empty `\(field)` in a \(kind) (\(what))")
                return nil
            }
            return scalar.string
        }

        /// A YAML number (int or float, as YAML reads it unquoted); quoted numbers are strings.
        func number(_ node: Node) -> Double? {
            guard case .scalar(let scalar) = node else { return nil }
            switch tagName(node) {
            case .int: return Int.construct(from: scalar).map(Double.init)
            case .float: return Double.construct(from: scalar)
            default: return nil
            }
        }

        /// `describe(node)`, saying so when a number was written in quotes (`"0.5"`, a string to YAML).
        func describeNumber(_ node: Node) -> String {
            guard case .scalar(let scalar) = node, scalar.style != .plain,
                  Double(scalar.string.trimmingCharacters(in: .whitespaces)) != nil else { return describe(node) }
            return "\(describe(node)) in quotes (write numbers without them)"
        }

        // MARK: Reporting

        /// `unknown key "x" in place (did you mean "y"?; expected a, b or c)`.
        func unknownKeyMessage(_ key: Node, known: [String], in place: String, what: String = "key") -> String {
            let expected = known.count == 1
                ? "`\(known[0])`"
                : known.dropLast().map { "`\($0)`" }.joined(separator: ", ") + " or `\(known.last!)`"
            guard let name = key.scalar?.string else {
                return "unexpected \(describe(key)) as a \(what) \(place) (expected \(expected))"
            }
            var notes: [String] = []
            if let suggestion = RegisterLoader.Validator.closest(to: name, among: known) {
                notes.append("did you mean \"\(suggestion)\"?")
            }
            notes.append("expected \(expected)")
            return "unknown \(what) \"\(name)\" \(place) (\(notes.joined(separator: "; ")))"
        }
    }
}
