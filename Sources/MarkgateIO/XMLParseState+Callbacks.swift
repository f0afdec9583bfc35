import CLibXML2
import Foundation
import MarkgateCore

/// libxml2's SAX2 callbacks: elements, text and entity references as the push parser meets them.
///
/// Each callback gets a pointer to the `XMLParseState` as libxml2's `user_data` (the `XMLReaderCore` owning both
/// frees the parser before the state). Only element starts and ends, text, CDATA and entity references are asked
/// for; no callback loads anything (no `getEntity`, `resolveEntity`, `externalSubset`), and without
/// `startDocument` libxml2 builds no tree. The text of the fields read goes to the parcel builder's byte buffer
/// as libxml2 hands it (UTF-8, entities and character references replaced, CDATA as is).
///
/// Text is asked for only while it is kept: the text callbacks are set in libxml2's copy of the handler when a
/// field starts and cleared when it ends, so that the white space between elements and the text of the fields
/// not read never leave libxml2 (it checks that text all the same).
extension XMLParseState {
    static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { user, localName, prefix, namespace, _, _, attributeCount, _, attributes in
            guard let user, let localName else { return }
            parseState(user).pointee.startElement(localName, prefix, namespace, attributeCount: Int(attributeCount),
                                                  attributes)
        }
        handler.endElementNs = { user, _, _, _ in
            guard let user else { return }
            parseState(user).pointee.endElement()
        }
        // (No text callback until text is kept: see `collect(at:)`.)
        handler.reference = { user, name in
            guard let user else { return }
            parseState(user).pointee.reference(name)
        }
        handler.serror = { user, error in
            guard let user, let error else { return }
            parseState(user).pointee.diagnostics.record(error.pointee)
        }
        return handler
    }

    /// The callback for text, white space and CDATA while text is kept.
    private static let textHandler: charactersSAXFunc = { user, bytes, length in
        guard let user, let bytes else { return }
        parseState(user).pointee.characters(bytes, Int(length))
    }

    /// Sets or clears the text callbacks in libxml2's copy of the handler (set, white space and CDATA go to the
    /// same callback as text, as libxml2 then asks).
    private func askForText(_ asked: Bool) {
        guard let sax = context?.pointee.sax else { return }
        let callback = asked ? Self.textHandler : nil
        sax.pointee.characters = callback
        sax.pointee.ignorableWhitespace = callback
        sax.pointee.cdataBlock = callback
    }

    // MARK: Events

    /// An element starts. Most are inside a head or item (depth 3 and more): that path is kept short, the
    /// others go to `startOuterElement`.
    private mutating func startElement(_ localName: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?,
                                       _ uri: UnsafePointer<xmlChar>?, attributeCount: Int,
                                       _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        let level = depth
        depth += 1
        guard level >= 3 else {
            startOuterElement(level, localName, prefix, uri, attributeCount: attributeCount, attributes)
            return
        }
        guard inParcel else { return }
        if level == 3 && readsFields && accepts(uri), let field = fieldNames.field(localName) {
            let nameLength = qualifiedNameLength(prefix: prefix, localLength: field.nameLength)
            let position = Self.startTagPosition(context, nameLength: nameLength)
            elementPosition = position
            parcel.startField(field, at: position)
            collect(at: level)
        } else if referencesPossible {
            // Any other element's position is wanted only where an entity reference may be reported in it.
            elementPosition = startTagPosition(prefix: prefix, localName: localName)
        }
    }

    /// The root (depth 0), a parcel (1) or a parcel's child (2) starts.
    @inline(never)
    private mutating func startOuterElement(_ level: Int, _ localName: UnsafePointer<xmlChar>,
                                            _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
                                            attributeCount: Int,
                                            _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        switch level {
        case 0:
            rootSeen = true
            // libxml2 reports an entity reference (instead of failing) only after a DOCTYPE naming an external
            // subset, which comes before the root.
            if let context { referencesPossible = context.pointee.hasExternalSubset != 0 }
            let name = XMLName(localName: localName, namespace: uri)
            if let detected = XMLManifestFormat(root: name) {
                format = detected
            } else {
                let message = XMLManifestFormat.unknownRootMessage(name)
                let position = startTagPosition(prefix: prefix, localName: localName)
                emitFailure(parcel: nil, at: position, message)
            }
        case 1:
            guard let format, accepts(uri), XMLName.equals(localName, format.parcelTag) else { return }
            let found = format == .generic ? Self.attributes(attributeCount, attributes) : XMLGenericAttributes()
            let position = startTagPosition(prefix: prefix, localName: localName)
            parcel.begin(format: format, start: position, attributes: found)
            inParcel = true
            elementPosition = position
        default:
            guard inParcel, let format else { return }
            let position = startTagPosition(prefix: prefix, localName: localName)
            elementPosition = position
            let kind: XMLParcelBuilder.Section
            if !accepts(uri) {
                kind = .other
            } else if XMLName.equals(localName, format.itemTag) {
                kind = .item
            } else if format != .generic && XMLName.equals(localName, format.headTag) {
                kind = .head
            } else {
                kind = .other
            }
            let found = format == .generic && kind == .item ? Self.attributes(attributeCount, attributes)
                : XMLGenericAttributes()
            parcel.startSection(kind, at: position, attributes: found)
            readsFields = format != .generic && (kind == .head || kind == .item)
            if format == .generic && kind == .item { collect(at: level) }
        }
    }

    /// An element ends. Most are inside a head or item (depth 3 and more): that path is kept short, the
    /// others go to `endOuterElement`.
    private mutating func endElement() {
        depth -= 1
        let level = depth
        guard level >= 3 else {
            endOuterElement(level)
            return
        }
        guard inParcel, level == collectingDepth else { return }
        stopCollecting()
        if level == 3 { parcel.endField() }
    }

    /// A parcel (depth 1) or a parcel's child (2) ends.
    @inline(never)
    private mutating func endOuterElement(_ level: Int) {
        guard level >= 1, inParcel else { return }
        if level == 1 {
            inParcel = false
            if let problem = diagnostics.firstProblem(from: parcel.start, through: Self.parserPosition(context)) {
                parcel.fail(at: problem.position, problem.message)
            }
            ready.append(parcel.record(file: file))
            return
        }
        if level == collectingDepth { stopCollecting() }
        parcel.endSection()
        readsFields = false
    }

    private mutating func characters(_ bytes: UnsafePointer<xmlChar>, _ count: Int) {
        guard collectingDepth >= 0 else { return }
        parcel.text.append(bytes, count: count)
    }

    /// An entity reference libxml2 did not expand (none is: entities are refused).
    private mutating func reference(_ name: UnsafePointer<xmlChar>?) {
        guard inParcel else { return }
        let shown = name.map { String(cString: $0) } ?? ""
        parcel.fail(at: elementPosition, "entity reference &\(shown); is not expanded (entities are refused)")
    }

    // MARK: Helpers

    /// Starts keeping the text of the element at `level` (and of any element inside it) in `parcel.text`.
    private mutating func collect(at level: Int) {
        collectingDepth = level
        askForText(true)
    }

    private mutating func stopCollecting() {
        collectingDepth = -1
        askForText(false)
    }

    /// Whether an element in namespace `uri` belongs to the format (no namespace, or CEB's for the CEB formats).
    @inline(__always)
    private mutating func accepts(_ uri: UnsafePointer<xmlChar>?) -> Bool {
        guard let uri else { return true }
        if uri != lastNamespaceURI {
            lastNamespaceURI = uri
            lastNamespace = XMLName.equals(uri, XMLName.cebNamespace) ? .ceb : .other
        }
        return lastNamespace == .ceb && format != .generic
    }

    /// The element's attributes in no namespace that the generic format reads, by local name. libxml2 hands
    /// each as five pointers: local name, prefix, namespace URI, value start and value end (the value is not
    /// NUL-terminated).
    private static func attributes(_ count: Int, _ list: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?)
        -> XMLGenericAttributes {
        var found = XMLGenericAttributes()
        guard let list else { return found }
        for index in 0..<count {
            let entry = list + 5 * index
            guard let name = entry[0], entry[2] == nil, let start = entry[3], let end = entry[4],
                  let known = XMLGenericAttributes.Name(localName: name) else { continue }
            found[known] = attributeValue(UnsafeBufferPointer(start: start, count: end - start))
        }
        return found
    }

    /// An attribute value as libxml2 hands it without entity substitution: an `&` (from `&amp;` or `&#38;`)
    /// comes as `&#38;`.
    private static func attributeValue(_ bytes: UnsafeBufferPointer<xmlChar>) -> String {
        let value = String(decoding: bytes, as: UTF8.self)
        guard bytes.contains(0x26) else { return value }
        return value.replacingOccurrences(of: "&#38;", with: "&")
    }
}

/// The state behind libxml2's `user_data` (a free function: a C callback may capture nothing, not even `Self`).
/// Reached through a pointer, the state is changed in place, without the exclusivity checks (and copies) a
/// class's stored properties would cost on each of millions of callbacks.
@inline(__always)
private func parseState(_ user: UnsafeMutableRawPointer) -> UnsafeMutablePointer<XMLParseState> {
    user.assumingMemoryBound(to: XMLParseState.self)
}
