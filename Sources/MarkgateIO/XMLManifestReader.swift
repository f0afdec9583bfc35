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
///   `NOENT`, `DTDLOAD`, `DTDATTR` or validation, and its SAX handler has no callback that could load anything
///   (`getEntity`, `resolveEntity`, `externalSubset`), so nothing is fetched and no entity is expanded. A document
///   type declaration with an internal subset (`<!DOCTYPE x [ … ]>`, where entities are declared) is refused
///   before libxml2 sees it: libxml2 2.9 expands entities in attribute values even without `NOENT`, and
///   `XML_PARSE_HUGE` switches off its guard against exponential expansion ("billion laughs"). Declared
///   encodings are limited to UTF-8, UTF-16 and ASCII-compatible encodings (GB18030, GBK, Big5, Shift_JIS,
///   EUC, ISO-8859-n, windows-125n), so the bytes checked are the characters parsed.
/// - Memory stays flat whatever the size of the input: libxml2's SAX2 push parser builds no tree, one parcel is
///   held at a time, and input is handed to libxml2 in pieces of at most 64 KiB, the next one only once the
///   records of the last have been taken. A parcel is complete as soon as its end tag is parsed, so a fatal
///   error never takes a complete parcel down with it.
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

    /// Whether a NUL-terminated libxml2 string is `expected`, compared in place.
    @inline(__always)
    static func equals(_ text: UnsafePointer<xmlChar>, _ expected: StaticString) -> Bool {
        // Names are short: a loop beats a call to memcmp.
        let start = expected.utf8Start
        let count = expected.utf8CodeUnitCount
        var index = 0
        while index < count {
            if text[index] != start[index] { return false }
            index += 1
        }
        return text[count] == 0
    }
}
