import CLibXML2
import Foundation
import MarkgateCore

/// Owns libxml2's SAX2 push parser and turns its events into records (see `XMLManifestReader`).
///
/// `next()` hands libxml2 one piece of input at a time (at most 64 KiB), only when the records of the pieces
/// before have all been taken; the callbacks (`XMLParseState+Callbacks.swift`) append each finished parcel to
/// the state's `ready`. Until the root start tag, pieces go through `XMLByteLexer`, which refuses what libxml2
/// must never see; after it, libxml2 reads the bytes where they lie. The callbacks do as little as they can for
/// what is not read: field names are known by their address in libxml2's dictionary, and text is asked of
/// libxml2 only inside the few fields read, kept as bytes of one buffer per parcel (`XMLParcelBuilder`).
final class XMLReaderCore {
    let file: String
    private let diagnostics = XMLDiagnostics()
    private let input: XMLByteInput
    private var lexer = XMLByteLexer()
    /// What the callbacks keep; libxml2's `user_data`. Allocated here, freed in `deinit` after the parser.
    private let state: UnsafeMutablePointer<XMLParseState>
    /// The next record of `state.ready` to hand out.
    private var readyIndex = 0
    /// Whether libxml2 has been told the input ended.
    private var reachedEnd = false
    /// Bytes left in the input by the last piece, to go with the next one.
    private var heldBack = 0

    /// libxml2 options: no network, huge text nodes; never NOENT, DTDLOAD, DTDATTR or DTDVALID.
    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)
    /// The most handed to libxml2 at once.
    private static let pieceLimit = 64 * 1024

    init(file: String, input: XMLByteInput) {
        self.file = file
        self.input = input
        XMLLibrary.initialize()
        state = UnsafeMutablePointer<XMLParseState>.allocate(capacity: 1)
        state.initialize(to: XMLParseState(file: file, diagnostics: diagnostics))
    }

    deinit {
        release()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    func next() -> ManifestRecord? {
        if readyIndex == state.pointee.ready.count && !state.pointee.finished {
            state.pointee.ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            diagnostics.capturing {
                while state.pointee.ready.isEmpty && !state.pointee.finished { step() }
            }
        }
        if state.pointee.finished { release() }
        guard readyIndex < state.pointee.ready.count else { return nil }
        defer { readyIndex += 1 }
        return state.pointee.ready[readyIndex]
    }

    /// Frees libxml2's parser and closes the input as soon as the last record is known.
    private func release() {
        if let context = state.pointee.context { xmlFreeParserCtxt(context) }
        state.pointee.context = nil
        input.close()
    }

    /// Hands libxml2 the next piece of input, or tells it the input ended; ends the stream on a fatal error.
    private func step() {
        if state.pointee.context == nil && !start() { return }
        if heldBack > 0 { input.fill(atLeast: heldBack + 1) }
        let context = state.pointee.context
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
        if state.pointee.finished { return }
        if lexer.stop != nil || diagnostics.fatal != nil {
            fail()
        } else if !more {
            if let context { xmlParseChunk(context, nil, 0, 1) }
            reachedEnd = true
            if state.pointee.finished { return }
            let parsed = state.pointee
            if diagnostics.fatal != nil || parsed.inParcel || parsed.format == nil || parsed.depth > 0 {
                fail()
            } else {
                state.pointee.finished = true
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
        var handler = XMLParseState.makeHandler()
        let user = UnsafeMutableRawPointer(state)
        let context = first.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                let start = chars.isEmpty ? nil : chars.baseAddress
                return xmlCreatePushParserCtxt(&handler, user, start, Int32(chars.count), nil)
            }
        }
        guard let context else {
            state.pointee.emitFailure(parcel: nil, at: XMLTextPosition(line: 1, column: 1),
                                      "cannot start the XML parser")
            return false
        }
        xmlCtxtUseOptions(context, Self.options)
        state.pointee.context = context
        return true
    }

    /// Ends the stream with one error record for the parcel the failure fell in.
    private func fail() {
        let parsed = state.pointee
        let position: XMLTextPosition
        let message: String
        let endCodes = [Int32(XML_ERR_DOCUMENT_EMPTY.rawValue), Int32(XML_ERR_DOCUMENT_END.rawValue)]
        if let stop = lexer.stop {
            (position, message) = (stop.position, stop.message)
        } else if reachedEnd, let fatal = diagnostics.fatal, endCodes.contains(fatal.code),
                  let ending = endOfInputProblem(parsed) {
            // libxml2's push parser calls a cut-off document "Extra content at the end of the document".
            (position, message) = (parsed.endOfInputPosition(), ending)
        } else if let fatal = diagnostics.fatal {
            (position, message) = (fatal.position, fatal.message)
        } else if parsed.inParcel {
            (position, message) = (parsed.parserPosition(), "the document ends inside a parcel")
        } else if parsed.format == nil {
            (position, message) = (parsed.parserPosition(), "no root element")
        } else {
            (position, message) = (parsed.parserPosition(), "unreadable XML")
        }
        state.pointee.emitFailure(parcel: parsed.inParcel ? parsed.parcel.id : nil, at: position, message)
    }

    /// Why a document ending here is incomplete, or nil when its root element has been closed.
    private func endOfInputProblem(_ parsed: XMLParseState) -> String? {
        if !parsed.rootSeen { return "empty document: no root element" }
        guard parsed.depth > 0 else { return nil }
        let open = parsed.depth
        return "unexpected end of input with \(open) element\(open == 1 ? "" : "s") open (truncated document?)"
    }
}
