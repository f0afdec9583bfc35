import CLibXML2
import Foundation
import MarkgateCore

/// Owns libxml2's SAX2 push parser and turns its events into records (see `XMLManifestReader`).
///
/// `next()` hands libxml2 one piece of input at a time (at most 64 KiB), only when the records of the pieces
/// before have all been taken; the callbacks (`XMLReaderCore+Callbacks.swift`) append each finished parcel to
/// `ready`. Until the root start tag, pieces go through `XMLByteLexer`, which refuses what libxml2 must never
/// see; after it, libxml2 reads the bytes where they lie. The callbacks do as little as they can for what is not
/// read: names are compared in place, text is kept (as bytes) only inside the few fields read, and a `String`
/// is made only for those.
final class XMLReaderCore {
    let file: String
    let diagnostics = XMLDiagnostics()
    private let input: XMLByteInput
    private var lexer = XMLByteLexer()
    /// libxml2's parser, from the first piece of input until the last record is known.
    private(set) var context: xmlParserCtxtPtr?
    private var ready: [ManifestRecord] = []
    private var readyIndex = 0
    private var finished = false
    /// Whether libxml2 has been told the input ended.
    private var reachedEnd = false
    /// Bytes left in the input by the last piece, to go with the next one.
    private var heldBack = 0

    // State the callbacks keep.
    var format: XMLManifestFormat?
    var parcel: XMLParcelBuilder?
    /// Elements open; the root is at depth 0, parcels at 1.
    var depth = 0
    var rootSeen = false
    /// The depth of the element whose text is being kept, or -1.
    var collectingDepth = -1
    /// The text of that element, as libxml2 hands it (UTF-8).
    var text: [UInt8] = []
    /// The last namespace URI met and what it is (libxml2 keeps one copy of each name, so a pointer compares).
    var lastNamespaceURI: UnsafePointer<xmlChar>?
    var lastNamespace = XMLName.Namespace.none

    /// libxml2 options: no network, huge text nodes; never NOENT, DTDLOAD, DTDATTR or DTDVALID.
    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)
    /// The most handed to libxml2 at once.
    private static let pieceLimit = 64 * 1024

    init(file: String, input: XMLByteInput) {
        self.file = file
        self.input = input
        XMLLibrary.initialize()
    }

    deinit {
        release()
    }

    func next() -> ManifestRecord? {
        if readyIndex == ready.count && !finished {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            diagnostics.capturing {
                while ready.isEmpty && !finished { step() }
            }
        }
        if finished { release() }
        guard readyIndex < ready.count else { return nil }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }

    /// Frees libxml2's parser and closes the input as soon as the last record is known.
    private func release() {
        if let context { xmlFreeParserCtxt(context) }
        context = nil
        input.close()
    }

    /// Hands libxml2 the next piece of input, or tells it the input ended; ends the stream on a fatal error.
    private func step() {
        if context == nil && !start() { return }
        if heldBack > 0 { input.fill(atLeast: heldBack + 1) }
        let more = input.take { bytes in
            var count = min(bytes.count, Self.pieceLimit)
            if !lexer.rootSeen {
                count = lexer.scan(bytes, limit: count)
                heldBack = 0
            } else if bytes.count > heldBack {
                // (When no byte came after those held back, the input has ended: they all go.)
                let tail = Self.undecidedTail(UnsafeBufferPointer(rebasing: bytes[..<count]))
                heldBack = count == bytes.count ? tail : 0
                count -= tail
            }
            if count > 0, let context, let base = bytes.baseAddress {
                let chars = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                xmlParseChunk(context, chars, Int32(count), 0)
            }
            return count
        }
        if finished { return }
        if lexer.stop != nil || diagnostics.fatal != nil {
            fail()
        } else if !more {
            if let context { xmlParseChunk(context, nil, 0, 1) }
            reachedEnd = true
            if finished { return }
            if diagnostics.fatal != nil || parcel != nil || format == nil || depth > 0 {
                fail()
            } else {
                finished = true
            }
        }
    }

    /// How many bytes at the end of a piece go with the next one instead (0 to 4): those from a byte of 0x80 or
    /// more among its last 4.
    ///
    /// libxml2 2.9 takes a byte that is not UTF-8 less than 4 bytes before the end of what it holds for a cut
    /// sequence and waits; when no more comes it reports "detected an error in element content" instead of the
    /// byte. Held back, such a byte always reaches libxml2 with 4 bytes after it (or with the end of input).
    static func undecidedTail(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var index = bytes.count
        var tail = 0
        while index > 0 && bytes.count - index < 4 {
            index -= 1
            if bytes[index] >= 0x80 { tail = bytes.count - index }
        }
        return tail
    }

    /// Creates the parser with the document's first 4 bytes (libxml2 tells the encoding from them), as
    /// `xmlTextReader` does; false when the document is refused or the parser cannot start.
    private func start() -> Bool {
        input.fill(atLeast: 4)
        var first: [UInt8] = []
        _ = input.take { bytes in
            lexer.detectEncoding(bytes)
            guard lexer.stop == nil else { return 0 }
            let count = lexer.scan(bytes, limit: 4)
            first = Array(bytes.prefix(count))
            return count
        }
        if lexer.stop != nil {
            fail()
            return false
        }
        var handler = Self.makeHandler()
        let user = Unmanaged.passUnretained(self).toOpaque()
        context = first.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                let start = chars.isEmpty ? nil : chars.baseAddress
                return xmlCreatePushParserCtxt(&handler, user, start, Int32(chars.count), nil)
            }
        }
        guard let context else {
            emitFailure(parcel: nil, at: XMLTextPosition(line: 1, column: 1), "cannot start the XML parser")
            return false
        }
        xmlCtxtUseOptions(context, Self.options)
        return true
    }

    /// Ends the stream with one error record for the parcel the failure fell in.
    private func fail() {
        let position: XMLTextPosition
        let message: String
        let endCodes = [Int32(XML_ERR_DOCUMENT_EMPTY.rawValue), Int32(XML_ERR_DOCUMENT_END.rawValue)]
        if let stop = lexer.stop {
            (position, message) = (stop.position, stop.message)
        } else if reachedEnd, let fatal = diagnostics.fatal, endCodes.contains(fatal.code),
                  let ending = endOfInputProblem {
            // libxml2's push parser calls a cut-off document "Extra content at the end of the document".
            (position, message) = (endOfInputPosition(), ending)
        } else if let fatal = diagnostics.fatal {
            (position, message) = (fatal.position, fatal.message)
        } else if parcel != nil {
            (position, message) = (parserPosition(), "the document ends inside a parcel")
        } else if format == nil {
            (position, message) = (parserPosition(), "no root element")
        } else {
            (position, message) = (parserPosition(), "unreadable XML")
        }
        emitFailure(parcel: parcel?.id, at: position, message)
    }

    /// Why a document ending here is incomplete, or nil when its root element has been closed.
    private var endOfInputProblem: String? {
        if !rootSeen { return "empty document: no root element" }
        guard depth > 0 else { return nil }
        return "unexpected end of input with \(depth) element\(depth == 1 ? "" : "s") open (truncated document?)"
    }

    /// Ends the stream with an error record (and stops libxml2 when called from a callback).
    func emitFailure(parcel id: String?, at position: XMLTextPosition, _ message: String) {
        parcel = nil
        ready.append(.error(RecordError(parcel: id, location: location(position), message: message)))
        finished = true
        if let context { xmlStopParser(context) }
    }

    /// Appends a finished parcel's record.
    func emit(_ record: ManifestRecord) {
        ready.append(record)
    }

    func location(_ position: XMLTextPosition) -> SourceLocation {
        SourceLocation(file: file, line: position.line, column: position.column)
    }

    // MARK: Positions

    /// Where libxml2 stands: just after the last tag parsed, in an end tag callback.
    func parserPosition() -> XMLTextPosition {
        guard let input = context?.pointee.input?.pointee else { return XMLTextPosition(line: 1, column: 1) }
        return XMLTextPosition(line: max(1, Int(input.line)), column: max(1, Int(input.col)))
    }

    /// The position of the `<` of the start tag being reported. libxml2 stands at its `>` (or `/>`), and the
    /// whole tag is still in its buffer (it parses a start tag only once it holds all of it): walk back to the
    /// `<` (which no attribute value holds), counting characters and line feeds.
    func startTagPosition() -> XMLTextPosition {
        guard let input = context?.pointee.input?.pointee, let base = input.base, var cursor = input.cur,
              cursor > base else { return parserPosition() }
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
        let line = max(1, Int(input.line))
        guard lineFeeds > 0 else { return XMLTextPosition(line: line, column: max(1, Int(input.col) - characters)) }
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

    /// The position just after the last byte of input: libxml2's, moved over what it holds but has not parsed.
    private func endOfInputPosition() -> XMLTextPosition {
        guard let input = context?.pointee.input?.pointee, var cursor = input.cur, let end = input.end else {
            return parserPosition()
        }
        var position = parserPosition()
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
