import Foundation

/// A lexer over the raw bytes of a document's prolog, one step ahead of libxml2, up to its root start tag.
///
/// It refuses what must never reach libxml2: an internal DTD subset (where entities are declared), an encoding
/// whose bytes it cannot follow, bytes that are not UTF-8 where UTF-8 is read. `XMLReaderCore` hands libxml2
/// only the bytes it has passed, until `rootSeen`; after that libxml2 reads the rest directly (its own checks
/// of the characters stand, and no internal subset can follow the root).
struct XMLByteLexer {
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
    /// Whether the root element's start tag has been lexed: the prolog is over.
    private(set) var rootSeen = false

    var hasDetectedEncoding: Bool { units != nil }

    /// Where the next character would be.
    var position: XMLTextPosition { XMLTextPosition(line: line, column: column) }

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
        if byte < 0x80 { return true }
        guard let expected = UTF8Lead.expectation(byte) else {
            stop = Stop(position: position, message: "invalid UTF-8 byte \(Self.hex(byte)) "
                            + "(declare the document's encoding if it is not UTF-8)")
            return nil
        }
        (utf8Continuations, utf8Low, utf8High) = expected
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
