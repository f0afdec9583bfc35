import CLibXML2
import Foundation
import MarkgateCore

/// Reads an XML parcel manifest (contract §2) as a stream of `ManifestRecord`s, in input order.
///
/// - The format comes from the root element's local name, in the namespace `http://www.chinaport.gov.cn/ceb` or
///   in none: `CEB621Message` (import inventory: one `Inventory` per parcel), `CEB311Message` (order: one
///   `Order` per parcel) or the generic `<manifest>` (`<parcel id= consignor= consignee= origin=>` holding
///   `<item line= hs= qty= price= currency= origin=>description</item>`). Any other root is one error record
///   (`parcel` nil) naming the accepted roots, and the end. What each format reads is told in
///   `XMLManifestReader+CEB.swift`.
/// - Every parcel is yielded as `.parcel(p, source:)` with the position of its start tag as soon as its end
///   tag is read. A parcel that cannot be read — a bad number, an HS code that is not 6 to 10 digits, no id, an
///   item without a description, no items, an unexpanded entity reference, or a libxml2 warning inside it — is
///   an `.error` record naming the first problem and the element it lies in; reading goes on with the next one.
/// - A fatal XML error (truncated input, mismatched tags, bad encoding, a refused DOCTYPE) ends the stream with one
///   error record for the parcel it fell in (with its id when one was read, nil outside a parcel), after every
///   complete parcel before it. Its message and position are libxml2's, except where the reader knows better: a
///   cut-off document ("unexpected end of input with 2 elements open"), invalid UTF-8 (the offending byte),
///   a refusal (below).
/// - Security: libxml2 runs with `XML_PARSE_NONET | XML_PARSE_HUGE` (text nodes over 10 MB parse), never with
///   `NOENT`, `DTDLOAD`, `DTDATTR` or validation, so nothing is fetched and no entity is expanded. A document
///   type declaration with an internal subset (`<!DOCTYPE x [ … ]>`, where entities are declared) is refused
///   before libxml2 sees it: libxml2 2.9 expands entities in attribute values even without `NOENT`, and
///   `XML_PARSE_HUGE` switches off its guard against exponential expansion ("billion laughs"). Declared
///   encodings are limited to UTF-8, UTF-16 and ASCII-compatible encodings (GB18030, GBK, Big5, Shift_JIS,
///   EUC, ISO-8859-n, windows-125n), so the bytes checked are the characters parsed.
/// - Memory stays flat whatever the size of the input: libxml2's `xmlTextReader` frees each node once passed,
///   and one parcel is held at a time. Input is read in 64 KiB chunks and handed to libxml2 in pieces that end
///   at parcel boundaries, so a fatal error never takes a complete parcel down with it.
/// - Positions count lines by LF and columns by Unicode scalars (UTF-8 and UTF-16 input; characters of other
///   encodings count as one column each). libxml2 prints nothing: its messages become records.
///
/// The reader is both the sequence and its iterator; copies share one underlying libxml2 reader, so read only
/// one of them. It is not thread-safe: use it from one thread at a time (it may move between threads between
/// calls). Separate readers may run concurrently.
public struct XMLManifestReader: Sequence, IteratorProtocol {
    public typealias Element = ManifestRecord

    /// The name used in source locations.
    public let file: String
    private let core: XMLReaderCore

    /// Opens a manifest file for streaming; throws only when the file cannot be opened.
    public init(path: String) throws(ManifestOpenError) {
        let source = try CSVChunkSource(path: path)
        file = path
        core = XMLReaderCore(file: path, input: XMLByteInput(chunks: { source.read() }))
    }

    /// Reads a manifest held in memory; `file` names it in source locations.
    public init(bytes: [UInt8], file: String) {
        self.file = file
        core = XMLReaderCore(file: file, input: XMLByteInput(bytes: bytes))
    }

    /// Reads a manifest from a stream of chunks (e.g. standard input, 64 KiB at a time); `chunks` returns nil at
    /// the end and is not called again. `file` names it in source locations.
    public init(file: String, chunks: @escaping () -> [UInt8]?) {
        self.file = file
        core = XMLReaderCore(file: file, input: XMLByteInput(chunks: chunks))
    }

    public mutating func next() -> ManifestRecord? {
        core.next()
    }
}

// MARK: - Positions and names

/// A 1-based line and column in the input.
struct XMLTextPosition: Comparable, Hashable, Sendable {
    var line: Int
    var column: Int

    static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.line != rhs.line ? lhs.line < rhs.line : lhs.column < rhs.column
    }
}

/// An element's local name and namespace.
struct XMLName {
    enum Namespace: Equatable {
        case none
        case ceb
        case other
    }

    var local: String
    var namespace: Namespace
    /// The namespace URI when it is `.other`.
    var otherNamespace: String?
}

// MARK: - The reader proper

/// Owns the libxml2 reader and turns its nodes into records.
final class XMLReaderCore {
    let file: String
    private let input: XMLByteInput
    private let diagnostics = XMLDiagnostics()
    private var reader: xmlTextReaderPtr?
    private var document: xmlDocPtr?
    private var ready: [ManifestRecord] = []
    private var finished = false
    private var format: XMLManifestFormat?
    private var parcel: XMLParcelBuilder?

    /// libxml2 options: no network, huge text nodes; never NOENT, DTDLOAD, DTDATTR or DTDVALID.
    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)

    /// Marks, in a tree node's `_private`, a parcel-level element whose end the reader has passed.
    private static var passedMark: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: 0x6D67)! }

    init(file: String, input: XMLByteInput) {
        self.file = file
        self.input = input
        XMLLibrary.initialize()
        let inputContext = Unmanaged.passUnretained(input).toOpaque()
        reader = diagnostics.capturing {
            xmlReaderForIO({ context, buffer, length in
                guard let context, let buffer, length > 0 else { return -1 }
                let input = Unmanaged<XMLByteInput>.fromOpaque(context).takeUnretainedValue()
                return Int32(input.read(into: UnsafeMutableRawPointer(buffer), capacity: Int(length)))
            }, nil, inputContext, nil, nil, Self.options)
        }
        if let reader {
            xmlTextReaderSetStructuredErrorHandler(reader, XMLDiagnostics.handler,
                                                   Unmanaged.passUnretained(diagnostics).toOpaque())
        } else {
            emitFailure(parcel: nil, at: XMLTextPosition(line: 1, column: 1), "cannot start the XML reader")
        }
    }

    deinit {
        // The reader calls back into `input` and `diagnostics`, which outlive it: stored properties are released
        // after this body.
        release()
    }

    func next() -> ManifestRecord? {
        if ready.isEmpty && !finished {
            diagnostics.capturing {
                while ready.isEmpty && !finished { step() }
            }
        }
        if finished { release() }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// Frees libxml2's reader and closes the input as soon as the last record is known.
    private func release() {
        if let reader { xmlFreeTextReader(reader) }
        if let document { xmlFreeDoc(document) }
        reader = nil
        document = nil
        input.close()
    }

    private func step() {
        guard let reader else {
            finished = true
            return
        }
        switch xmlTextReaderRead(reader) {
        case 1:
            handleNode(reader)
        case 0:
            endOfInput(reader)
        default:
            fail(reader)
        }
    }

    private func handleNode(_ reader: xmlTextReaderPtr) {
        switch xmlTextReaderNodeType(reader) {
        case 1:   // XML_READER_TYPE_ELEMENT
            let tag = input.lexer.nextTag(isEnd: false)
            let position = tag?.start ?? parserPosition(reader)
            let depth = Int(xmlTextReaderDepth(reader))
            let name = currentName(reader)
            startElement(reader, name, depth: depth, at: position)
            if xmlTextReaderIsEmptyElement(reader) == 1 {
                endElement(reader, depth: depth, end: tag?.end ?? position)
            }
        case 15:  // XML_READER_TYPE_END_ELEMENT
            let tag = input.lexer.nextTag(isEnd: true)
            endElement(reader, depth: Int(xmlTextReaderDepth(reader)), end: tag?.end ?? parserPosition(reader))
        case 3, 4, 13, 14:   // text, CDATA, whitespace, significant whitespace
            guard parcel?.isCollectingText == true, let value = xmlTextReaderConstValue(reader) else { return }
            parcel?.appendText(String(cString: value))
        case 5:   // XML_READER_TYPE_ENTITY_REFERENCE: never expanded (no NOENT)
            guard let position = parcel?.currentElementPosition else { return }
            let name = xmlTextReaderConstName(reader).map { String(cString: $0) } ?? ""
            parcel?.fail(at: position, "entity reference &\(name); is not expanded (entities are refused)")
        default:
            break
        }
    }

    private func startElement(_ reader: xmlTextReaderPtr, _ name: XMLName, depth: Int, at position: XMLTextPosition) {
        switch depth {
        case 0:
            guard format == nil else { return }
            if let detected = XMLManifestFormat(root: name) {
                format = detected
            } else {
                emitFailure(parcel: nil, at: position, XMLManifestFormat.unknownRootMessage(name))
            }
        case 1:
            guard let format, format.isParcel(name) else { return }
            let attributes = format == .generic ? currentAttributes(reader) : [:]
            parcel = XMLParcelBuilder(format: format, start: position, attributes: attributes)
        default:
            guard parcel != nil, let format else { return }
            let attributes = format == .generic && depth == 2 ? currentAttributes(reader) : [:]
            parcel?.startElement(name, depth: depth, at: position, attributes: attributes)
        }
    }

    private func endElement(_ reader: xmlTextReaderPtr, depth: Int, end: XMLTextPosition) {
        switch depth {
        case 0:
            break
        case 1:
            xmlTextReaderCurrentNode(reader)?.pointee._private = Self.passedMark
            guard var finishing = parcel else { return }
            parcel = nil
            if let problem = diagnostics.firstProblem(from: finishing.start, through: end) {
                finishing.fail(at: problem.position, problem.message)
            }
            ready.append(finishing.record(file: file))
        default:
            parcel?.endElement(depth: depth)
        }
    }

    private func endOfInput(_ reader: xmlTextReaderPtr) {
        if input.lexer.stop != nil || parcel != nil || format == nil {
            fail(reader)
        } else {
            finished = true
        }
    }

    /// Ends the stream with one error record for the parcel the failure fell in.
    private func fail(_ reader: xmlTextReaderPtr) {
        let position: XMLTextPosition
        let message: String
        let endCodes = [Int32(XML_ERR_DOCUMENT_EMPTY.rawValue), Int32(XML_ERR_DOCUMENT_END.rawValue)]
        if let stop = input.lexer.stop {
            (position, message) = (stop.position, stop.message)
        } else if input.reachedEnd, let fatal = diagnostics.fatal, endCodes.contains(fatal.code),
                  let ending = input.lexer.endOfInputProblem {
            // libxml2's push parser calls a cut-off document "Extra content at the end of the document".
            (position, message) = (input.lexer.position, ending)
        } else if let fatal = diagnostics.fatal {
            (position, message) = (fatal.position, fatal.message)
        } else if parcel != nil {
            (position, message) = (parserPosition(reader), "the document ends inside a parcel")
        } else if format == nil {
            (position, message) = (parserPosition(reader), "no root element")
        } else {
            (position, message) = (parserPosition(reader), "unreadable XML")
        }
        emitFailure(parcel: interruptedParcelID(reader), at: position, message)
    }

    /// The id of the parcel a fatal error interrupted, when one was read: from the parcel being built, or from
    /// the part of the tree libxml2 parsed ahead of the reader.
    private func interruptedParcelID(_ reader: xmlTextReaderPtr) -> String? {
        if let id = parcel?.id { return id }
        guard let document = xmlTextReaderCurrentDoc(reader) else { return nil }
        self.document = document   // taken over from the reader: freed in deinit
        guard let root = xmlDocGetRootElement(document) else { return nil }
        if format == nil { format = XMLManifestFormat(root: XMLName(node: root)) }
        guard let format else { return nil }
        var node = root.pointee.last
        while let candidate = node, candidate.pointee.type != XML_ELEMENT_NODE { node = candidate.pointee.prev }
        guard let candidate = node, candidate.pointee._private != Self.passedMark,
              format.isParcel(XMLName(node: candidate)) else { return nil }
        return format.parcelID(inPartialTree: candidate)
    }

    private func emitFailure(parcel id: String?, at position: XMLTextPosition, _ message: String) {
        parcel = nil
        ready.append(.error(RecordError(parcel: id, location: location(position), message: message)))
        finished = true
    }

    private func location(_ position: XMLTextPosition) -> SourceLocation {
        SourceLocation(file: file, line: position.line, column: position.column)
    }

    // MARK: libxml2 accessors

    private func parserPosition(_ reader: xmlTextReaderPtr) -> XMLTextPosition {
        XMLTextPosition(line: max(1, Int(xmlTextReaderGetParserLineNumber(reader))),
                        column: max(1, Int(xmlTextReaderGetParserColumnNumber(reader))))
    }

    private func currentName(_ reader: xmlTextReaderPtr) -> XMLName {
        XMLName(localName: xmlTextReaderConstLocalName(reader), namespace: xmlTextReaderConstNamespaceUri(reader))
    }

    /// The current element's attributes in no namespace, by local name.
    private func currentAttributes(_ reader: xmlTextReaderPtr) -> [String: String] {
        var attributes: [String: String] = [:]
        guard xmlTextReaderHasAttributes(reader) == 1 else { return attributes }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            guard xmlTextReaderIsNamespaceDecl(reader) != 1, xmlTextReaderConstNamespaceUri(reader) == nil,
                  let name = xmlTextReaderConstLocalName(reader) else { continue }
            attributes[String(cString: name)] = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
        }
        xmlTextReaderMoveToElement(reader)
        return attributes
    }
}

extension XMLName {
    static let cebNamespace: StaticString = "http://www.chinaport.gov.cn/ceb"

    init(localName: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?) {
        if var start = localName {
            // A prefix libxml2 could not resolve stays in the name ("ceb:Inventory"): read the part after it.
            var cursor = start
            while cursor.pointee != 0 {
                if cursor.pointee == 0x3A { start = cursor + 1 }
                cursor += 1
            }
            local = String(cString: start)
        } else {
            local = ""
        }
        if let namespace, !Self.equals(namespace, Self.cebNamespace) {
            (self.namespace, otherNamespace) = (.other, String(cString: namespace))
        } else {
            (self.namespace, otherNamespace) = (namespace == nil ? .none : .ceb, nil)
        }
    }

    /// The name of a node of a parsed tree.
    init(node: xmlNodePtr) {
        self.init(localName: node.pointee.name, namespace: node.pointee.ns?.pointee.href)
    }

    private static func equals(_ text: UnsafePointer<xmlChar>, _ expected: StaticString) -> Bool {
        let count = expected.utf8CodeUnitCount
        return memcmp(text, expected.utf8Start, count) == 0 && text[count] == 0
    }
}

// MARK: - libxml2 set-up and messages

enum XMLLibrary {
    /// `xmlInitParser` must run once before threads use libxml2; a static `let` runs it exactly once.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    static func initialize() {
        _ = initialized
    }
}

/// Collects libxml2's messages (so it prints nothing): the first fatal error, and the parser's warnings and
/// errors until the parcel they fall in has been read.
final class XMLDiagnostics {
    struct Message {
        var position: XMLTextPosition
        var message: String
        var code: Int32 = 0
    }

    private(set) var fatal: Message?
    private var pending: [Message] = []
    /// Messages kept at most while the parser runs ahead of the reader (a bound against floods of warnings).
    private let pendingLimit = 10_000

    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<XMLDiagnostics>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
    }

    private func record(_ error: xmlError) {
        let text = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        let message = Message(position: XMLTextPosition(line: max(1, Int(error.line)), column: max(1, Int(error.int2))),
                              message: text.trimmingCharacters(in: .whitespacesAndNewlines), code: error.code)
        if error.level == XML_ERR_FATAL {
            if fatal == nil { fatal = message }
        } else if error.domain == Int32(XML_FROM_PARSER.rawValue), pending.count < pendingLimit {
            // Namespace messages (an undeclared prefix) are left out: names are read without the prefix.
            pending.append(message)
        }
    }

    /// The first pending message within `start...end`; drops every pending message up to `end`.
    func firstProblem(from start: XMLTextPosition, through end: XMLTextPosition) -> Message? {
        var first: Message?
        var kept = 0
        for message in pending {
            if message.position > end {
                pending[kept] = message
                kept += 1
            } else if first == nil && message.position >= start {
                first = message
            }
        }
        pending.removeSubrange(kept...)
        return first
    }

    /// Runs a libxml2 call with this collector as the thread's structured error handler, so that messages
    /// raised outside the reader's own handler (encoding conversion, I/O) are caught too, then restores it.
    func capturing<T>(_ body: () -> T) -> T {
        let previousHandler = __xmlStructuredError()?.pointee
        let previousContext = __xmlStructuredErrorContext()?.pointee
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(self).toOpaque(), Self.handler)
        defer { xmlSetStructuredErrorFunc(previousContext, previousHandler) }
        return body()
    }
}

// MARK: - Input

/// The bytes libxml2 reads, through `XMLByteLexer`: from memory or from chunks, in pieces of fewer than 512
/// bytes that end at parcel boundaries.
///
/// `xmlTextReader` parses 512-byte blocks and, from a piece shorter than that, exactly the piece: so a piece
/// that ends with a parcel's end tag is parsed, and the parcel handed out, before any later byte is looked at.
final class XMLByteInput {
    private var buffer: [UInt8]
    private var position = 0
    private var chunks: (() -> [UInt8]?)?
    private var ended: Bool
    private var reads = 0
    /// Whether libxml2 has been told the input ended (not stopped).
    private(set) var reachedEnd = false
    var lexer = XMLByteLexer()

    /// Pieces stay below libxml2's 512-byte parse block.
    private static let pieceLimit = 511

    init(bytes: [UInt8]) {
        buffer = bytes
        chunks = nil
        ended = true
    }

    init(chunks: @escaping () -> [UInt8]?) {
        buffer = []
        self.chunks = chunks
        ended = false
    }

    /// Drops the input (closing a file); reads then find its end.
    func close() {
        chunks = nil
        ended = true
        buffer = []
        position = 0
    }

    /// Appends the next chunk; false at the end of input.
    private func refill() -> Bool {
        guard !ended, let chunks else { return false }
        while let chunk = chunks() {
            guard !chunk.isEmpty else { continue }
            if position > 0 {
                buffer.removeSubrange(..<position)
                position = 0
            }
            buffer.append(contentsOf: chunk)
            return true
        }
        ended = true
        return false
    }

    /// libxml2's read callback: fills `destination` with up to `capacity` bytes; 0 at the end of input, or once
    /// the lexer has stopped the document.
    func read(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        if lexer.stop != nil { return 0 }
        if !lexer.hasDetectedEncoding {
            while buffer.count - position < 4 && refill() {}
            buffer.withUnsafeBufferPointer { lexer.detectEncoding(UnsafeBufferPointer(rebasing: $0[position...])) }
            if lexer.stop != nil { return 0 }
            if position == buffer.count {
                reachedEnd = true
                return 0
            }
        }
        while position == buffer.count {
            guard refill() else {
                reachedEnd = true
                return 0
            }
        }
        reads += 1
        // The first read feeds libxml2's 4-byte encoding sniff; taking exactly 4 keeps every later piece whole.
        let limit = min(capacity, reads == 1 ? 4 : Self.pieceLimit)
        let count = buffer.withUnsafeBufferPointer { all in
            lexer.scan(UnsafeBufferPointer(rebasing: all[position...]), limit: limit)
        }
        buffer.withUnsafeBytes { all in
            destination.copyMemory(from: all.baseAddress! + position, byteCount: count)
        }
        position += count
        if position == buffer.count && chunks != nil {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        return count
    }
}

/// A lexer over the raw bytes handed to libxml2, one step ahead of it. It
/// - refuses what must never reach libxml2: an internal DTD subset, an encoding whose bytes it cannot follow;
/// - records the position of every start and end tag, in document order, which the reader matches one to one
///   with libxml2's element nodes (libxml2 gives nodes no columns, and its parser position runs ahead);
/// - marks parcel boundaries: the end of a tag that closes an element at depth 1 (a child of the root).
struct XMLByteLexer {
    struct Tag {
        var isEnd: Bool
        var start: XMLTextPosition
        /// Just after the closing `>`.
        var end: XMLTextPosition
    }

    struct Stop {
        var position: XMLTextPosition
        var message: String
    }

    private enum Units { case bytes, utf16LittleEndian, utf16BigEndian }

    /// How bytes of an ASCII-compatible encoding make characters: which bytes are trail bytes (never markup,
    /// even where they equal `[` or `]`) and which start a column.
    enum ByteEncoding { case utf8, singleByte, gb, shiftJIS, eucJP }

    private enum State {
        case text, open, startTag, quoted, endTag, markup, comment, cdata, instruction, doctype, doctypeQuoted,
             declaration
    }

    private(set) var stop: Stop?
    private var units: Units?
    private var encoding = ByteEncoding.utf8
    private var line = 1
    private var column = 1
    private var state = State.text
    private var quote: UInt32 = 0
    private var flag = false
    private var run = 0
    private var markup: [UInt8] = []
    private var tagStart = XMLTextPosition(line: 1, column: 1)
    private var depth = 0
    private var lexedAny = false
    private var xmlDeclaration: [UInt8]?
    private var byteOrderMarkLeft = 0
    private var trailBytesLeft = 0
    private var checkFourByteGB = false
    private var firstByteOfUnit: UInt8?
    private var utf8Continuations = 0
    private var utf8Low: UInt8 = 0x80
    private var utf8High: UInt8 = 0xBF
    private var utf8Lead: (byte: UInt8, position: XMLTextPosition)?
    private var rootSeen = false
    private var tags: [Tag] = []
    private var nextTagIndex = 0

    var hasDetectedEncoding: Bool { units != nil }

    /// Where the next character would be.
    var position: XMLTextPosition { XMLTextPosition(line: line, column: column) }

    /// Why a document ending here is incomplete, or nil when its root element has been closed.
    var endOfInputProblem: String? {
        if !rootSeen { return "empty document: no root element" }
        guard depth > 0 else { return nil }
        return "unexpected end of input with \(depth) element\(depth == 1 ? "" : "s") open (truncated document?)"
    }

    /// The position of the next tag not yet taken, when it is of the kind expected (else nil, and it stays).
    mutating func nextTag(isEnd: Bool) -> Tag? {
        guard nextTagIndex < tags.count, tags[nextTagIndex].isEnd == isEnd else { return nil }
        let tag = tags[nextTagIndex]
        nextTagIndex += 1
        if nextTagIndex == tags.count {
            tags.removeAll(keepingCapacity: true)
            nextTagIndex = 0
        } else if nextTagIndex >= 1024 {
            tags.removeSubrange(..<nextTagIndex)
            nextTagIndex = 0
        }
        return tag
    }

    /// Ends the document here: libxml2 gets no further byte.
    mutating func halt(_ message: String) {
        if stop == nil { stop = Stop(position: XMLTextPosition(line: line, column: column), message: message) }
    }

    /// Reads the first bytes (at least 4 unless the input is shorter) the way libxml2 does (XML 1.0 appendix F).
    mutating func detectEncoding(_ bytes: UnsafeBufferPointer<UInt8>) {
        let head = Array(bytes.prefix(4))
        func starts(_ pattern: [UInt8]) -> Bool { head.starts(with: pattern) }
        let wide: [[UInt8]] = [[0, 0, 0xFE, 0xFF], [0xFF, 0xFE, 0, 0], [0, 0, 0, 0x3C], [0x3C, 0, 0, 0],
                               [0, 0, 0x3C, 0], [0, 0x3C, 0, 0], [0x4C, 0x6F, 0xA7, 0x94]]
        if wide.contains(where: starts) {
            units = .bytes
            halt("unsupported character encoding (UCS-4 or EBCDIC): use UTF-8 or UTF-16")
        } else if starts([0xFE, 0xFF]) {
            (units, byteOrderMarkLeft) = (.utf16BigEndian, 2)
        } else if starts([0xFF, 0xFE]) {
            (units, byteOrderMarkLeft) = (.utf16LittleEndian, 2)
        } else if starts([0, 0x3C, 0, 0x3F]) {
            units = .utf16BigEndian
        } else if starts([0x3C, 0, 0x3F, 0]) {
            units = .utf16LittleEndian
        } else if starts([0xEF, 0xBB, 0xBF]) {
            (units, byteOrderMarkLeft) = (.bytes, 3)
        } else {
            units = .bytes
        }
    }

    /// Lexes up to `limit` bytes of `bytes` and returns how many may go to libxml2: fewer when a parcel
    /// boundary comes first (the piece ends with it), or when the document is stopped (the byte that stopped it
    /// is withheld).
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        let count = min(bytes.count, limit)
        var index = 0
        while index < count {
            if encoding == .utf8 && units == .bytes && utf8Continuations == 0 && byteOrderMarkLeft == 0 {
                index = skipPlainASCII(bytes, from: index, to: count)
                if index == count { break }
            }
            let byte = bytes[index]
            if byteOrderMarkLeft > 0 {
                byteOrderMarkLeft -= 1
                index += 1
                continue
            }
            let unit: UInt32
            let countsColumn: Bool
            var unitStart = index
            switch units ?? .bytes {
            case .bytes:
                if trailBytesLeft > 0 {
                    if checkFourByteGB {
                        checkFourByteGB = false
                        if byte >= 0x30 && byte <= 0x39 { trailBytesLeft += 2 }
                    }
                    trailBytesLeft -= 1
                    index += 1
                    continue
                }
                unit = UInt32(byte)
                switch encoding {
                case .utf8:
                    if byte < 0x80 && utf8Continuations == 0 {
                        countsColumn = true
                    } else {
                        guard let counts = checkUTF8(byte) else { return index }
                        countsColumn = counts
                    }
                case .singleByte:
                    countsColumn = true
                case .gb:
                    countsColumn = true
                    if byte >= 0x81 && byte <= 0xFE { (trailBytesLeft, checkFourByteGB) = (1, true) }
                case .shiftJIS:
                    countsColumn = true
                    if (byte >= 0x81 && byte <= 0x9F) || (byte >= 0xE0 && byte <= 0xFC) { trailBytesLeft = 1 }
                case .eucJP:
                    countsColumn = true
                    if byte == 0x8F { trailBytesLeft = 2 } else if byte == 0x8E || byte >= 0xA1 { trailBytesLeft = 1 }
                }
            case .utf16LittleEndian, .utf16BigEndian:
                guard let first = firstByteOfUnit else {
                    firstByteOfUnit = byte
                    index += 1
                    continue
                }
                firstByteOfUnit = nil
                unitStart = max(0, index - 1)
                unit = units == .utf16LittleEndian ? UInt32(first) | UInt32(byte) << 8 : UInt32(first) << 8 | UInt32(byte)
                countsColumn = !(unit >= 0xDC00 && unit <= 0xDFFF)
            }
            let boundary = lex(unit, countsColumn: countsColumn)
            if stop != nil { return unitStart }
            index += 1
            if boundary { return index }
        }
        return index
    }

    /// Skips ASCII bytes that mean nothing in the current state (most of a document), keeping the position.
    private mutating func skipPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        switch state {
        case .text:
            while index < end, bytes[index] != 0x3C, bytes[index] < 0x80 { advance(bytes[index]); index += 1 }
        case .startTag:
            while index < end, bytes[index] < 0x80 {
                let byte = bytes[index]
                if byte == 0x22 || byte == 0x27 || byte == 0x2F || byte == 0x3E { break }
                advance(byte)
                flag = false
                index += 1
            }
        case .quoted:
            while index < end, bytes[index] != quote, bytes[index] < 0x80 { advance(bytes[index]); index += 1 }
        case .endTag:
            while index < end, bytes[index] != 0x3E, bytes[index] < 0x80 { advance(bytes[index]); index += 1 }
        default:
            break
        }
        if index > start { lexedAny = true }
        return index
    }

    @inline(__always)
    private mutating func advance(_ byte: UInt8) {
        if byte == 0x0A {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    /// Follows UTF-8 byte by byte (as `CSVTokenizer` does): whether the byte starts a character, or nil (and the
    /// document stopped) when it cannot be part of well-formed UTF-8. libxml2 would stop there too, with a message
    /// that depends on where its input happened to be cut.
    private mutating func checkUTF8(_ byte: UInt8) -> Bool? {
        if utf8Continuations > 0 {
            if byte >= utf8Low && byte <= utf8High {
                utf8Continuations -= 1
                (utf8Low, utf8High) = (0x80, 0xBF)
                return false
            }
            let lead = utf8Lead!
            stop = Stop(position: lead.position, message: "invalid UTF-8 byte \(Self.hex(lead.byte)) followed by "
                            + "\(Self.hex(byte)) (declare the document's encoding if it is not UTF-8)")
            return nil
        }
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: utf8Continuations = 1
        case 0xE0: (utf8Continuations, utf8Low) = (2, 0xA0)
        case 0xE1...0xEC, 0xEE, 0xEF: utf8Continuations = 2
        case 0xED: (utf8Continuations, utf8High) = (2, 0x9F)
        case 0xF0: (utf8Continuations, utf8Low) = (3, 0x90)
        case 0xF1...0xF3: utf8Continuations = 3
        case 0xF4: (utf8Continuations, utf8High) = (3, 0x8F)
        default:
            stop = Stop(position: position, message: "invalid UTF-8 byte \(Self.hex(byte)) "
                            + "(declare the document's encoding if it is not UTF-8)")
            return nil
        }
        utf8Lead = (byte, position)
        return true
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" : "") + digits
    }

    /// Lexes one character (or the lead unit of one); true when a parcel boundary follows it.
    private mutating func lex(_ unit: UInt32, countsColumn: Bool) -> Bool {
        let here = XMLTextPosition(line: line, column: column)
        if unit == 0x0A {
            line += 1
            column = 1
        } else if countsColumn {
            column += 1
        }
        defer { lexedAny = true }
        switch state {
        case .text:
            if unit == 0x3C {   // <
                tagStart = here
                state = .open
                xmlDeclaration = lexedAny ? nil : []
            }
        case .open:
            switch unit {
            case 0x2F:   // /
                state = .endTag
            case 0x21:   // !
                state = .markup
                markup.removeAll(keepingCapacity: true)
            case 0x3F:   // ?
                state = .instruction
                flag = false
            default:
                state = .startTag
                flag = false
                return startTag(unit, here)
            }
        case .startTag:
            return startTag(unit, here)
        case .quoted:
            if unit == quote { state = .startTag }
        case .endTag:
            if unit == 0x3E {   // >
                tags.append(Tag(isEnd: true, start: tagStart,
                                end: XMLTextPosition(line: here.line, column: here.column + 1)))
                state = .text
                depth = max(0, depth - 1)
                return depth <= 1
            }
        case .markup:
            markup.append(unit < 0x80 ? UInt8(unit) : 0)
            if markup.elementsEqual("--".utf8) {
                (state, run) = (.comment, 0)
            } else if markup.elementsEqual("[CDATA[".utf8) {
                (state, run) = (.cdata, 0)
            } else if markup.elementsEqual("DOCTYPE".utf8) {
                state = .doctype
            } else if !["--", "[CDATA[", "DOCTYPE"].contains(where: { $0.utf8.starts(with: markup) }) {
                state = unit == 0x3E ? .text : .declaration
            }
        case .comment, .cdata:
            let closer: UInt32 = state == .comment ? 0x2D : 0x5D   // - or ]
            if unit == closer {
                run += 1
            } else {
                if unit == 0x3E && run >= 2 { state = .text }
                run = 0
            }
        case .instruction:
            if xmlDeclaration != nil {
                guard xmlDeclaration!.count < 256 else {
                    halt("XML declaration longer than 256 characters")
                    return false
                }
                xmlDeclaration!.append(unit < 0x80 ? UInt8(unit) : 0)
            }
            if unit == 0x3E && flag {
                state = .text
                if let declaration = xmlDeclaration {
                    xmlDeclaration = nil
                    checkDeclaredEncoding(declaration, at: here)
                }
            } else {
                flag = unit == 0x3F
            }
        case .doctype:
            if unit == 0x22 || unit == 0x27 {
                (quote, state) = (unit, .doctypeQuoted)
            } else if unit == 0x5B {   // [
                stop = Stop(position: here, message: "a document type declaration with an internal subset "
                                + "(<!DOCTYPE … [ … ]>) is refused: manifests need no entity declarations")
            } else if unit == 0x3E {
                state = .text
            }
        case .doctypeQuoted:
            if unit == quote { state = .doctype }
        case .declaration:
            if unit == 0x3E { state = .text }
        }
        return false
    }

    private mutating func startTag(_ unit: UInt32, _ here: XMLTextPosition) -> Bool {
        switch unit {
        case 0x22, 0x27:   // " '
            (quote, state, flag) = (unit, .quoted, false)
        case 0x3E:   // >
            let selfClosing = flag
            tags.append(Tag(isEnd: false, start: tagStart, end: XMLTextPosition(line: here.line, column: here.column + 1)))
            state = .text
            rootSeen = true
            if selfClosing { return depth == 1 }
            depth += 1
        default:
            flag = unit == 0x2F   // /
        }
        return false
    }

    /// Checks the encoding an XML declaration names (`<?xml version="1.0" encoding="…"?>`): libxml2 switches to
    /// it, so it must be one whose bytes this lexer reads the same way.
    private mutating func checkDeclaredEncoding(_ declaration: [UInt8], at position: XMLTextPosition) {
        guard let name = Self.pseudoAttribute("encoding", in: declaration) else { return }
        let key = String(name.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
        if units != .bytes {
            let endian = units == .utf16LittleEndian ? "UTF16LE" : "UTF16BE"
            if key == "UTF16" || key == endian { return }
            stop = Stop(position: position,
                        message: "encoding \"\(name)\" declared in a UTF-16 document: declare UTF-16 or nothing")
            return
        }
        guard let byteEncoding = Self.byteEncoding(key) else {
            stop = Stop(position: position, message: "unsupported encoding \"\(name)\": use UTF-8, UTF-16, GB18030, "
                            + "GBK, GB2312, Big5, Shift_JIS, EUC-JP, EUC-KR, ISO-8859-n or windows-125n")
            return
        }
        encoding = byteEncoding
    }

    static func byteEncoding(_ key: String) -> ByteEncoding? {
        switch key {
        case "UTF8", "ASCII", "USASCII":
            return .utf8
        case "LATIN1", "ISOLATIN1", "KOI8R", "KOI8U":
            return .singleByte
        case "GB18030", "GBK", "GB2312", "CP936", "EUCCN", "BIG5", "BIG5HKSCS", "CP950", "EUCKR", "CP949", "UHC":
            return .gb
        case "SHIFTJIS", "SJIS", "CP932", "WINDOWS31J", "MSKANJI":
            return .shiftJIS
        case "EUCJP":
            return .eucJP
        default:
            if key.hasPrefix("ISO8859"), let part = Int(key.dropFirst(7)), (1...16).contains(part) { return .singleByte }
            for prefix in ["WINDOWS125", "CP125"] where key.hasPrefix(prefix) {
                if let digit = Int(key.dropFirst(prefix.count)), (0...8).contains(digit) { return .singleByte }
            }
            return nil
        }
    }

    /// The value of a pseudo-attribute of an XML declaration's content (`xml version="1.0" encoding="…"`).
    static func pseudoAttribute(_ wanted: String, in declaration: [UInt8]) -> String? {
        let text = Array(String(decoding: declaration, as: UTF8.self).unicodeScalars)
        var index = 0
        func skipSpaces() { while index < text.count && " \t\r\n".unicodeScalars.contains(text[index]) { index += 1 } }
        guard text.count > 3, String(String.UnicodeScalarView(text[0..<3])) == "xml" else { return nil }
        index = 3
        while true {
            skipSpaces()
            var name = String.UnicodeScalarView()
            while index < text.count && (text[index].properties.isAlphabetic || text[index] == "_") {
                name.append(text[index])
                index += 1
            }
            guard !name.isEmpty else { return nil }
            skipSpaces()
            guard index < text.count, text[index] == "=" else { return nil }
            index += 1
            skipSpaces()
            guard index < text.count, text[index] == "\"" || text[index] == "'" else { return nil }
            let quote = text[index]
            index += 1
            var value = String.UnicodeScalarView()
            while index < text.count && text[index] != quote {
                value.append(text[index])
                index += 1
            }
            guard index < text.count else { return nil }
            index += 1
            if String(name) == wanted { return String(value) }
        }
    }
}
