import Foundation
import MarkgateCore
import Yams

extension RegisterLoader {
    /// The keys a mark may have (contract §1), in the contract's order.
    static let markKeys = [
        "id", "names", "variants", "kind", "classes", "owner", "recordation",
        "licensees", "generic_names", "context", "min_unit_price",
    ]
    static let topLevelKeys = ["version", "marks"]

    /// Walks a composed YAML tree, building marks and collecting one diagnostic per problem.
    struct Validator: YAMLValidating {
        let file: String
        /// Where each id seen so far (in this file or earlier files of the folder) was first defined.
        var firstDefinitions: [String: SourceLocation]
        var diagnostics: [Diagnostic] = []
        /// Where each mark returned so far, and its parts, are written (by id).
        var locations: [String: MarkLocations] = [:]

        init(file: String, firstDefinitions: [String: SourceLocation]) {
            self.file = file
            self.firstDefinitions = firstDefinitions
        }

        // MARK: Top level

        mutating func register(_ root: Node?) -> (marks: [MarkgateCore.Mark], version: Int?) {
            guard let root else {
                error(.missingField, at: SourceLocation(file: file, line: 1, column: 1),
                      "empty register: expected a mapping with a `marks` list")
                return ([], nil)
            }
            guard case .mapping(let top) = root else {
                error(.wrongType, root, "expected a mapping with `version` and `marks` at the top level, found \(describe(root))")
                return ([], nil)
            }

            var version: Int?
            var marksNode: Node?
            for (key, value) in top {
                switch key.scalar?.string {
                case "version":
                    if let number = integer(value) {
                        version = number
                        if number != 1 { error(.badVersion, value, "unsupported version \(number) (expected 1)") }
                    } else {
                        error(.badVersion, value, "version must be the integer 1, found \(describe(value))")
                    }
                case "marks":
                    marksNode = value
                default:
                    diagnostics.append(.warning(.unknownKey, at: location(key),
                                                unknownKeyMessage(key, known: RegisterLoader.topLevelKeys, in: "at the top level")))
                }
            }

            guard let marksNode else {
                error(.missingField, root, "missing `marks` (a list of marks)")
                return ([], version)
            }
            guard case .sequence(let items) = marksNode else {
                error(.wrongType, marksNode, "`marks` must be a list of marks, found \(describe(marksNode))")
                return ([], version)
            }
            return (items.compactMap { mark($0) }, version)
        }

        // MARK: One mark

        /// The mark, or nil when it has any error (each reported).
        mutating func mark(_ node: Node) -> MarkgateCore.Mark? {
            guard case .mapping(let mapping) = node else {
                error(.wrongType, node, "a mark must be a mapping with at least `id` and `names`, found \(describe(node))")
                return nil
            }
            let errorsBefore = errorCount

            var fields: [String: Node] = [:]
            for (key, value) in mapping {
                if let name = key.scalar?.string, RegisterLoader.markKeys.contains(name) {
                    fields[name] = value
                } else {
                    error(.unknownKey, key, unknownKeyMessage(key, known: RegisterLoader.markKeys, in: "in a mark"))
                }
            }

            let id = self.id(fields["id"], mark: node)
            var readableNames: [(text: String, node: Node)] = []
            let names = self.names(fields["names"], mark: node, readable: &readableNames)
            let variants = stringListWithNodes(fields["variants"], field: "variants", emptyKind: .emptyNames)
            let kind = self.kind(fields["kind"])
            let classes = self.classes(fields["classes"])
            let owner = string(fields["owner"], field: "owner")
            let recordation = string(fields["recordation"], field: "recordation")
            let licensees = stringList(fields["licensees"], field: "licensees", emptyKind: .wrongType)
            let genericNames = self.genericNames(fields["generic_names"], names: readableNames.map(\.text))
            let context = stringList(fields["context"], field: "context", emptyKind: .wrongType)
            let prices = self.prices(fields["min_unit_price"])

            guard errorCount == errorsBefore, let id, let names else { return nil }
            locations[id] = MarkLocations(
                mark: location(node), id: fields["id"].map(location) ?? location(node),
                names: readableNames.map { location($0.node) }, variants: variants.map { location($0.node) },
                genericNames: genericNames.map { location($0.node) },
                context: fields["context"].map(location), minUnitPrice: fields["min_unit_price"].map(location)
            )
            return MarkgateCore.Mark(
                id: id, names: names, variants: variants.map(\.text), kind: kind, classes: classes,
                owner: owner, recordation: recordation, licensees: licensees,
                genericNames: genericNames.map(\.name), context: context, minUnitPrice: prices
            )
        }

        mutating func id(_ node: Node?, mark: Node) -> String? {
            guard let node else {
                error(.missingField, mark, "mark has no `id`")
                return nil
            }
            guard case .scalar(let scalar) = node else {
                error(.wrongType, node, "`id` must be a string, found \(describe(node))")
                return nil
            }
            let id = isNull(node) ? "" : scalar.string
            guard !id.isEmpty, id.unicodeScalars.allSatisfy(Self.isIdCharacter) else {
                error(.badId, node, id.isEmpty
                      ? "empty id (expected letters, digits, '.', '_' or '-')"
                      : "id \"\(id)\" may hold only letters, digits, '.', '_' and '-'")
                return nil
            }
            if let first = firstDefinitions[id] {
                error(.duplicateId, node, "duplicate id \"\(id)\" (first defined at \(first))")
                return nil
            }
            firstDefinitions[id] = location(node)
            return id
        }

        static func isIdCharacter(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
            default: false
            }
        }

        /// The names, or nil when `names` has any error; `readable` gets the names that could be read even so
        /// (for checking `generic_names` against them).
        mutating func names(_ node: Node?, mark: Node, readable: inout [(text: String, node: Node)]) -> [String]? {
            guard let node else {
                error(.missingField, mark, "mark has no `names` (a list of at least one protected name)")
                return nil
            }
            if isNull(node) {
                error(.emptyNames, node, "`names` must list at least one name")
                return nil
            }
            let before = errorCount
            readable = stringListWithNodes(node, field: "names", emptyKind: .emptyNames)
            guard errorCount == before else { return nil }
            if readable.isEmpty {
                error(.emptyNames, node, "`names` must list at least one name")
                return nil
            }
            return readable.map(\.text)
        }

        mutating func kind(_ node: Node?) -> MarkKind {
            guard let node, !isNull(node) else { return .trademark }
            let allowed = MarkKind.allCases.map(\.rawValue).joined(separator: ", ")
            guard case .scalar(let scalar) = node else {
                error(.wrongType, node, "`kind` must be one of \(allowed), found \(describe(node))")
                return .trademark
            }
            guard let kind = MarkKind(rawValue: scalar.string) else {
                error(.unknownKind, node, "unknown kind \"\(scalar.string)\" (expected one of \(allowed))")
                return .trademark
            }
            return kind
        }

        mutating func classes(_ node: Node?) -> [Int] {
            guard let node, !isNull(node) else { return [] }
            guard case .sequence(let items) = node else {
                error(.wrongType, node, "`classes` must be a list of Nice classes 1–45, e.g. [25, 28], found \(describe(node))")
                return []
            }
            return niceClasses(items)
        }

        /// The generic names as spelt in `names`, each with the first `generic_names` entry that gave it.
        mutating func genericNames(_ node: Node?, names: [String]) -> [(name: String, node: Node)] {
            let generic = stringListWithNodes(node, field: "generic_names", emptyKind: .badGenericName)
            guard !names.isEmpty else { return [] }  // `names` itself is reported
            var result: [(name: String, node: Node)] = []
            for (text, element) in generic {
                // Stored as spelt in `names`, so that a hit's name can be compared exactly.
                guard let name = names.first(where: { $0.lowercased() == text.lowercased() }) else {
                    error(.badGenericName, element, "generic name \"\(text)\" is not one of the mark's names")
                    continue
                }
                if !result.contains(where: { $0.name == name }) { result.append((name, element)) }
            }
            return result
        }

        mutating func prices(_ node: Node?) -> [PriceFloor] {
            guard let node, !isNull(node) else { return [] }
            guard case .mapping(let mapping) = node else {
                error(.wrongType, node, "`min_unit_price` must map currency codes to amounts, e.g. {USD: 40}, found \(describe(node))")
                return []
            }
            var floors: [PriceFloor] = []
            for (key, value) in mapping {
                let code = key.scalar?.string ?? ""
                let isCode = code.unicodeScalars.count == 3 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
                if !isCode {
                    error(.badPrice, key, "currency \(describe(key)) is not an ISO 4217 code (3 upper-case letters, e.g. USD)")
                }
                guard let amount = number(value), amount.isFinite, amount > 0 else {
                    error(.badPrice, value, "price floor \(describe(value)) must be a positive number")
                    continue
                }
                if isCode { floors.append(PriceFloor(currency: code, amount: amount)) }
            }
            return floors
        }

        // MARK: Scalars and lists

        /// A list of strings; null is empty. Scalars of any YAML type are taken as written (`3M`, `123`, `NO`).
        mutating func stringList(_ node: Node?, field: String, emptyKind: Diagnostic.Kind) -> [String] {
            stringListWithNodes(node, field: field, emptyKind: emptyKind).map(\.text)
        }

        mutating func stringListWithNodes(_ node: Node?, field: String, emptyKind: Diagnostic.Kind) -> [(text: String, node: Node)] {
            guard let node, !isNull(node) else { return [] }
            guard case .sequence(let items) = node else {
                let example = node.scalar.map { "[\($0.string)]" } ?? "[a, b]"
                error(.wrongType, node, "`\(field)` must be a list, e.g. \(example), found \(describe(node))")
                return []
            }
            var strings: [(text: String, node: Node)] = []
            for item in items {
                guard case .scalar(let scalar) = item else {
                    error(.wrongType, item, "`\(field)` must hold strings, found \(describe(item))")
                    continue
                }
                let text = isNull(item) ? "" : scalar.string
                guard !text.allSatisfy(\.isWhitespace) else {
                    error(emptyKind, item, "empty string in `\(field)`")
                    continue
                }
                strings.append((text, item))
            }
            return strings
        }

        /// A YAML number, or a quoted decimal number.
        func number(_ node: Node) -> Double? {
            guard case .scalar(let scalar) = node else { return nil }
            switch tagName(node) {
            case .int: return Int.construct(from: scalar).map(Double.init)
            case .float: return Double.construct(from: scalar)
            case .str:
                let text = scalar.string.trimmingCharacters(in: .whitespaces)
                guard text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }) else { return nil }
                return Double(text)
            default: return nil
            }
        }

        // MARK: Reporting

        var errorCount: Int { diagnostics.count(where: { $0.severity == .error }) }

        func unknownKeyMessage(_ key: Node, known: [String], in place: String) -> String {
            guard let name = key.scalar?.string else { return "unexpected \(describe(key)) as a key \(place)" }
            var message = "unknown key \"\(name)\" \(place)"
            if let suggestion = Self.closest(to: name, among: known) {
                message += " (did you mean \"\(suggestion)\"?)"
            }
            return message
        }

        /// The known key a typo most likely meant: same letters ignoring case and `-`/`_`, or within 2 edits.
        static func closest(to name: String, among known: [String]) -> String? {
            func folded(_ text: String) -> [UInt8] {
                Array(text.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " }.utf8)
            }
            let target = folded(name)
            if let same = known.first(where: { folded($0) == target }) { return same }
            let scored = known.map { ($0, EditDistance.osa(target, folded($0))) }.min { $0.1 < $1.1 }
            guard let (best, distance) = scored, distance <= 2, distance < target.count else { return nil }
            return best
        }

    }
}
