import CLibXML2
import MarkgateCore

/// What libxml2's SAX2 callbacks keep while a document is parsed: the parcel being read and the records done.
///
/// `XMLReaderCore` allocates it once and hands libxml2 its address as `user_data`; the callbacks
/// (`XMLParseState+Callbacks.swift`) change it in place through that pointer, and the core takes `ready` records
/// from it between pieces of input.
struct XMLParseState {
    let file: String
    let diagnostics: XMLDiagnostics
    /// libxml2's parser, once created (positions are read from its current input).
    var context: xmlParserCtxtPtr?
    /// Records done, in input order.
    var ready: [ManifestRecord] = []
    /// Whether the stream has ended: the last record is in `ready`.
    var finished = false

    var format: XMLManifestFormat?
    /// The parcel being read, when `inParcel` (kept in place, not in an optional, so that the callbacks change
    /// it where it lies instead of moving it out and back).
    var parcel = XMLParcelBuilder()
    var inParcel = false
    /// The position of the last element started inside the parcel: where an unreadable node inside it is reported.
    /// Kept for every element only when `referencesPossible`, else for those read (the others cannot hold one).
    var elementPosition = XMLTextPosition(line: 1, column: 1)
    /// Whether the document names an external DTD subset, so that libxml2 may report entity references.
    var referencesPossible = false
    /// Whether the parcel's child being read is a CEB head or item, whose children are fields.
    var readsFields = false
    /// Elements open; the root is at depth 0, parcels at 1.
    var depth = 0
    var rootSeen = false
    /// The depth of the element whose text is being kept (appended to `parcel.text`), or -1.
    var collectingDepth = -1
    /// The last namespace URI met and what it is (libxml2 keeps one copy of each name, so a pointer compares).
    var lastNamespaceURI: UnsafePointer<xmlChar>?
    var lastNamespace = XMLName.Namespace.none
    /// The fields read, by the address of their name.
    var fieldNames = XMLFieldNames()
    /// The last prefix met and its byte length, or -1 when it is not ASCII (see `qualifiedNameLength`).
    var lastPrefix: UnsafePointer<xmlChar>?
    var lastPrefixLength = -1

    init(file: String, diagnostics: XMLDiagnostics) {
        self.file = file
        self.diagnostics = diagnostics
    }

    /// Ends the stream with an error record (and stops libxml2 when called from a callback).
    mutating func emitFailure(parcel id: String?, at position: XMLTextPosition, _ message: String) {
        inParcel = false
        ready.append(.error(RecordError(parcel: id, location: SourceLocation(file: file, line: position.line,
                                                                              column: position.column),
                                        message: message)))
        finished = true
        if let context { xmlStopParser(context) }
    }

    // MARK: Positions

    /// Where libxml2 stands: just after the last tag parsed, in an end tag callback.
    func parserPosition() -> XMLTextPosition {
        Self.parserPosition(context)
    }

    /// The position of the `<` of the start tag being reported (see the static function).
    func startTagPosition() -> XMLTextPosition {
        Self.startTagPosition(context)
    }

    // (Static, on the parser alone: a method of this large structure, called from a mutating one, would be
    // handed a copy of it on every element.)
    static func parserPosition(_ context: xmlParserCtxtPtr?) -> XMLTextPosition {
        // Fields are read through the pointers, one by one: `pointee` as a whole would copy the structure.
        guard let input = context?.pointee.input else { return XMLTextPosition(line: 1, column: 1) }
        return XMLTextPosition(line: max(1, Int(input.pointee.line)), column: max(1, Int(input.pointee.col)))
    }

    /// The position of the `<` of the start tag being reported. libxml2 stands at its `>` (or `/>`), and the
    /// whole tag is still in its buffer (it parses a start tag only once it holds all of it): walk back to the
    /// `<` (which no attribute value holds), counting characters and line feeds.
    static func startTagPosition(_ context: xmlParserCtxtPtr?) -> XMLTextPosition {
        guard let input = context?.pointee.input, let base = input.pointee.base, var cursor = input.pointee.cur,
              cursor > base else { return parserPosition(context) }
        var characters = 0
        var lineFeeds = 0
        repeat {
            cursor -= 1
            let byte = cursor.pointee
            if byte == 0x3C { break }
            if byte == 0x0A { lineFeeds += 1 }
            if byte & 0xC0 != 0x80 { characters += 1 }
        } while cursor > base
        characters += 1   // the `<`
        let line = max(1, Int(input.pointee.line))
        guard lineFeeds > 0 else {
            return XMLTextPosition(line: line, column: max(1, Int(input.pointee.col) - characters))
        }
        // The tag spans lines: count the characters before it on its first line.
        var column = 1
        while cursor > base {
            cursor -= 1
            let byte = cursor.pointee
            if byte == 0x0A { break }
            if byte & 0xC0 != 0x80 { column += 1 }
        }
        return XMLTextPosition(line: max(1, line - lineFeeds), column: column)
    }

    /// The position of the `<` of the start tag being reported, whose qualified name is `nameLength` bytes
    /// long, each a column (nil when that is not known).
    ///
    /// The usual tag is the name alone (`<ceb:gname>`): then its `<` lies the name's length before libxml2's
    /// position, on the same line. No other byte of a longer tag can be a `<` (none is allowed in an attribute
    /// value), so one byte tells; any other tag is walked back (`startTagPosition(_:)`).
    static func startTagPosition(_ context: xmlParserCtxtPtr?, nameLength: Int?) -> XMLTextPosition {
        if let nameLength, let input = context?.pointee.input, let base = input.pointee.base,
           let cursor = input.pointee.cur, cursor - base > nameLength, cursor[-(nameLength + 1)] == 0x3C {
            return XMLTextPosition(line: max(1, Int(input.pointee.line)),
                                   column: max(1, Int(input.pointee.col) - (nameLength + 1)))
        }
        return startTagPosition(context)
    }

    /// The position of the `<` of the start tag being reported, named `prefix` (or nil) and `localName`.
    mutating func startTagPosition(prefix: UnsafePointer<xmlChar>?, localName: UnsafePointer<xmlChar>)
        -> XMLTextPosition {
        Self.startTagPosition(context, nameLength: qualifiedNameLength(prefix: prefix,
                                                                     localLength: Self.asciiLength(localName)))
    }

    /// The byte length of a qualified name whose local part is `localLength` bytes long (nil when it is not
    /// ASCII), or nil when the name is not ASCII. The last prefix's length is kept (libxml2 keeps one copy of
    /// each name, so a pointer compares).
    @inline(__always)
    mutating func qualifiedNameLength(prefix: UnsafePointer<xmlChar>?, localLength: Int?) -> Int? {
        guard let localLength else { return nil }
        guard let prefix else { return localLength }
        if prefix != lastPrefix {
            lastPrefix = prefix
            lastPrefixLength = Self.asciiLength(prefix) ?? -1
        }
        return lastPrefixLength < 0 ? nil : lastPrefixLength + 1 + localLength
    }

    /// The length of a NUL-terminated name, or nil when it is not ASCII.
    static func asciiLength(_ name: UnsafePointer<xmlChar>) -> Int? {
        var length = 0
        var bits: xmlChar = 0
        while name[length] != 0 {
            bits |= name[length]
            length += 1
        }
        return bits < 0x80 ? length : nil
    }

    /// The position just after the last byte of input: libxml2's, moved over what it holds but has not parsed.
    func endOfInputPosition() -> XMLTextPosition {
        guard let input = context?.pointee.input, var cursor = input.pointee.cur, let end = input.pointee.end else {
            return Self.parserPosition(context)
        }
        var position = Self.parserPosition(context)
        while cursor < end {
            if cursor.pointee == 0x0A {
                position.line += 1
                position.column = 1
            } else if cursor.pointee & 0xC0 != 0x80 {
                position.column += 1
            }
            cursor += 1
        }
        return position
    }
}
