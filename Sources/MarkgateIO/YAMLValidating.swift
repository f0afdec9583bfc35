import MarkgateCore
import Yams

/// What the YAML loaders' validators share: where they are, what they found, and how to read nodes.
///
/// A validator walks a composed `Node` tree, appends a `Diagnostic` per problem and goes on.
protocol YAMLValidating {
    var file: String { get }
    var diagnostics: [Diagnostic] { get set }
}

extension YAMLValidating {
    /// A YAML integer (plain, tagged int).
    func integer(_ node: Node) -> Int? {
        guard case .scalar(let scalar) = node, tagName(node) == .int else { return nil }
        return Int.construct(from: scalar)
    }

    /// The node's resolved tag (`Tag.name` itself is internal to Yams).
    func tagName(_ node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar = node else { return false }
        return tagName(node) == .null
    }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func error(_ kind: Diagnostic.Kind, _ node: Node, _ message: String) {
        error(kind, at: location(node), message)
    }

    mutating func error(_ kind: Diagnostic.Kind, at location: SourceLocation, _ message: String) {
        diagnostics.append(.error(kind, at: location, message))
    }

    /// An optional string field; null or empty is absent, anything but a scalar an error.
    mutating func string(_ node: Node?, field: String) -> String? {
        guard let node, !isNull(node) else { return nil }
        guard case .scalar(let scalar) = node else {
            error(.wrongType, node, "`\(field)` must be a string, found \(describe(node))")
            return nil
        }
        return scalar.string.isEmpty ? nil : scalar.string
    }

    /// A Nice class: a YAML integer, or digits written as a string or with a leading zero (`09`).
    func niceClass(_ node: Node) -> Int? {
        guard case .scalar(let scalar) = node else { return nil }
        let text = scalar.string
        if !text.isEmpty, text.count <= 6, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            return Int(text)
        }
        return integer(node)
    }

    /// The Nice classes of a list, without repeats; a diagnostic for each element that is not one of 1–45.
    mutating func niceClasses(_ items: some Sequence<Node>) -> [Int] {
        var classes: [Int] = []
        for item in items {
            guard let number = niceClass(item) else {
                error(.wrongType, item, "class \(describe(item)) is not a whole number (expected 1–45)")
                continue
            }
            guard (1...45).contains(number) else {
                error(.badClass, item, "class \(number) is outside 1–45")
                continue
            }
            if !classes.contains(number) { classes.append(number) }
        }
        return classes
    }

    /// A short rendering of a node for messages: a quoted scalar, or its YAML type.
    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            let text = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            return "\"\(text)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
