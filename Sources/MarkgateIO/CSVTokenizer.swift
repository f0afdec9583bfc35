#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One field of a CSV record: its text (quotes removed, `""` unescaped, invalid UTF-8 replaced by U+FFFD) and
/// where it starts (1-based line and column, columns in Unicode scalars; for a quoted field, the opening quote).
public struct CSVField: Sendable, Hashable {
    public var text: String
    public var line: Int
    public var column: Int
    /// Whether the field was enclosed in double quotes.
    public var isQuoted: Bool

    public init(text: String, line: Int, column: Int, isQuoted: Bool = false) {
        self.text = text
        self.line = line
        self.column = column
        self.isQuoted = isQuoted
    }
}

/// Something wrong in a CSV record, found by the tokenizer. Problems are values: the record is still produced.
public struct CSVProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// An opening quote with no closing quote: the input ended inside it, or it ran over a line break and
        /// its apparent closing quote was followed by other characters. The field then ends at the end of
        /// the opening quote's line and reading resumes on the next line.
        case unterminatedQuote = "unterminated-quote"
        /// A `"` inside a field that does not start with a quote (kept in the text).
        case quoteInUnquotedField = "quote-in-unquoted-field"
        /// Characters between a closing quote and the next comma or line break (kept in the text).
        case textAfterClosingQuote = "text-after-closing-quote"
        /// A byte that is not part of a well-formed UTF-8 sequence (replaced by U+FFFD in the text).
        case invalidUTF8 = "invalid-utf8"
    }

    public var kind: Kind
    public var line: Int
    public var column: Int
    /// What is wrong and what was expected, e.g. `unterminated quoted field`.
    public var message: String

    public init(kind: Kind, line: Int, column: Int, message: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// One CSV record (a row): its fields, where it starts, where its terminator (line break or end of input)
/// lies, and the problems found in it, ordered by position.
public struct CSVRecord: Sendable, Hashable {
    public var fields: [CSVField]
    public var line: Int
    public var column: Int
    /// Position of the record's line break (or of the end of input) — where a missing field would have been.
    public var endLine: Int
    public var endColumn: Int
    public var problems: [CSVProblem]

    public init(fields: [CSVField], line: Int, column: Int, endLine: Int, endColumn: Int, problems: [CSVProblem] = []) {
        self.fields = fields
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
        self.problems = problems
    }

    /// True for an empty line, or a row whose fields are all unquoted and empty or blank (`,,,`), with no problem.
    public var isBlank: Bool {
        problems.isEmpty && fields.allSatisfy { field in
            !field.isQuoted && field.text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
        }
    }
}

/// Error thrown when a manifest file (CSV, JSON Lines, XML) cannot be opened; nothing else is thrown by readers.
public struct ManifestOpenError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot open: \(reason)" }
}

/// A streaming RFC 4180 tokenizer over UTF-8 bytes.
///
/// - Fields are separated by commas and records by CRLF or LF (a CR not followed by LF is an ordinary character,
///   except right before the end of input). Double-quoted fields may hold commas, line breaks and `""`.
/// - A UTF-8 byte-order mark at the very start is skipped and not counted in columns.
/// - Positions are 1-based lines and columns; columns count Unicode scalars (an ill-formed UTF-8 sequence counts
///   as the one U+FFFD it decodes to).
/// - An empty line yields a record with one empty field (see `CSVRecord.isBlank`); a final line break does not
///   start another record.
/// - Problems never throw: they are listed in `CSVRecord.problems` and the record is still produced. An
///   unterminated quote that ran over line breaks is undone: the record ends at the end of the quote's line and
///   the following lines are read again as records, so one stray quote costs one row.
/// - Input is read in chunks (64 KiB from a file), so memory stays flat: it holds the current record only.
///
/// A tokenizer made from bytes is a value: copies read independently. One made from a file or a chunk function
/// shares that stream with its copies, so only one copy should be read.
public struct CSVTokenizer: Sequence, IteratorProtocol {
    public typealias Element = CSVRecord

    private var input: CSVByteInput
    private var startedReading = false
    private var line = 1
    private var column = 1

    // UTF-8 well-formedness tracking: the number of continuation bytes still expected and the range of the next one.
    private var pendingContinuations = 0
    private var continuationLow: UInt8 = 0x80
    private var continuationHigh: UInt8 = 0xBF

    // The record being read.
    private var problems: [CSVProblem] = []
    private var fieldBytes: [UInt8] = []
    /// Fields of the last record: room made for as many in the next.
    private var expectedFields = 8
    /// Whether a record that is one plain line of the current chunk is split without the state machine
    /// (`plainLine`); off only in tests that check the two ways agree.
    private var plainLines = true
    /// The fields of the last plain line (room kept from line to line).
    private var plainFields: [CSVPlainField] = []

    /// Tokenizes bytes held in memory.
    public init(bytes: [UInt8]) {
        input = CSVByteInput(buffer: bytes, source: nil)
    }

    /// Tokenizes a stream given as a function returning successive chunks of bytes, and nil at the end (e.g.
    /// standard input read 64 KiB at a time). After returning nil, the function is not called again.
    public init(chunks: @escaping () -> [UInt8]?) {
        input = CSVByteInput(buffer: [], source: CSVChunkSource(read: chunks))
    }

    /// Tokenizes bytes held in memory with every record read by the state machine (`plainLines` false): the
    /// reference that tests hold the fast path to.
    init(bytes: [UInt8], plainLines: Bool) {
        self.init(bytes: bytes)
        self.plainLines = plainLines
    }

    /// Opens a file for streaming; throws only when it cannot be opened (missing, unreadable, a folder).
    public init(path: String) throws(ManifestOpenError) {
        input = CSVByteInput(buffer: [], source: try CSVChunkSource(path: path))
    }

    public mutating func next() -> CSVRecord? {
        switch nextRow({ _, _, _, _ -> Never? in nil }) {
        case .record(let record)?: record
        case nil: nil
        }
    }

    /// The next record, or nil at the end; a plain line (`CSVPlainField`) is first offered to `read`, with its
    /// bytes (without the line break), its fields, its line and its first column, and is `.plain` with what
    /// `read` returns;
    /// when `read` returns nil, or the line is not plain, the record is read as `next()` reads it.
    ///
    /// So a manifest reader takes most rows from the bytes, without a `String` per field, and leaves the rest
    /// (and every row it finds fault with) to the record path, whose positions and problems it already reports.
    mutating func nextRow<Value>(
        _ read: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<CSVPlainField>, Int, Int) -> Value?
    ) -> CSVRow<Value>? {
        if !startedReading {
            startedReading = true
            if input.hasPrefix(utf8BOM) { input.skip(utf8BOM.count) }
        }
        guard input.peek() != nil else { return nil }
        if plainLines, pendingContinuations == 0, let row = plainLine(read) { return row }
        return readRecord().map { .record($0) }
    }
}

private let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
}

// MARK: - The record state machine

extension CSVTokenizer {
    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// After a `"` inside a quoted field: either the first of `""` or the closing quote.
        case quoteInQuoted
        /// After a closing quote followed by other characters (already reported).
        case afterClosingQuote
    }

    /// Where the current quoted field opened, and its first line break (for undoing an unterminated quote).
    private struct OpenQuote {
        var line: Int
        var column: Int
        /// Index in `fieldBytes` of the field's first LF, if the field has run over a line break.
        var firstLineBreak: Int?
    }

    private mutating func readRecord() -> CSVRecord? {
        guard input.peek() != nil else { return nil }
        problems.removeAll(keepingCapacity: true)
        fieldBytes.removeAll(keepingCapacity: true)
        var fields: [CSVField] = []
        fields.reserveCapacity(expectedFields)
        let recordLine = line, recordColumn = column
        var state = State.fieldStart
        var fieldLine = line, fieldColumn = column
        var hasEscapedQuote = false
        var openQuote: OpenQuote?

        func finishField(into fields: inout [CSVField], quoted: Bool) {
            if quoted && hasEscapedQuote { Self.collapseEscapedQuotes(in: &fieldBytes) }
            fields.append(CSVField(text: String(decoding: fieldBytes, as: UTF8.self), line: fieldLine,
                                   column: fieldColumn, isQuoted: quoted))
            fieldBytes.removeAll(keepingCapacity: true)
            hasEscapedQuote = false
            openQuote = nil
        }

        while true {
            guard let byte = input.next() else {
                // End of input.
                flushInvalidSequence()
                switch state {
                case .quoted:
                    if let open = openQuote, open.firstLineBreak != nil {
                        return undoUnterminatedQuote(open, fields: fields, recordLine: recordLine,
                                                     recordColumn: recordColumn, consumedAfterField: [])
                    }
                    problems.append(CSVProblem(kind: .unterminatedQuote, line: fieldLine, column: fieldColumn,
                                               message: "unterminated quoted field"))
                    finishField(into: &fields, quoted: true)
                case .quoteInQuoted:
                    finishField(into: &fields, quoted: true)
                case .afterClosingQuote:
                    finishField(into: &fields, quoted: true)
                case .fieldStart:   // an empty last field, after a comma
                    fieldLine = line; fieldColumn = column
                    finishField(into: &fields, quoted: false)
                case .unquoted:
                    finishField(into: &fields, quoted: false)
                }
                return makeRecord(fields, recordLine, recordColumn, endLine: line, endColumn: column)
            }

            if byte >= 0x80 {
                // Part of a multi-byte scalar (or an ill-formed byte): always field content.
                switch state {
                case .fieldStart:
                    fieldLine = line; fieldColumn = column
                    state = .unquoted
                case .quoteInQuoted:
                    if let open = openQuote, open.firstLineBreak != nil {
                        return undoUnterminatedQuote(open, fields: fields, recordLine: recordLine,
                                                     recordColumn: recordColumn, consumedAfterField: [Byte.quote, byte])
                    }
                    reportTextAfterClosingQuote()
                    state = .afterClosingQuote
                case .unquoted, .quoted, .afterClosingQuote:
                    break
                }
                fieldBytes.append(byte)
                track(byte)
                continue
            }

            flushInvalidSequence()   // an ASCII byte ends any incomplete multi-byte sequence
            switch state {
            case .fieldStart:
                fieldLine = line; fieldColumn = column
                switch byte {
                case Byte.quote:
                    state = .quoted
                    openQuote = OpenQuote(line: line, column: column)
                    column += 1
                case Byte.comma:
                    finishField(into: &fields, quoted: false)
                    column += 1
                case Byte.lf:
                    finishField(into: &fields, quoted: false)
                    return endRecord(fields, recordLine, recordColumn)
                case Byte.cr where isLineBreakAfterCR():
                    finishField(into: &fields, quoted: false)
                    return endRecord(fields, recordLine, recordColumn)
                default:
                    state = .unquoted
                    fieldBytes.append(byte)
                    column += 1 + input.appendPlainRun(to: &fieldBytes, stopAtComma: true)
                }

            case .unquoted, .afterClosingQuote:
                switch byte {
                case Byte.comma:
                    finishField(into: &fields, quoted: state == .afterClosingQuote)
                    state = .fieldStart
                    column += 1
                case Byte.lf:
                    finishField(into: &fields, quoted: state == .afterClosingQuote)
                    return endRecord(fields, recordLine, recordColumn)
                case Byte.cr where isLineBreakAfterCR():
                    finishField(into: &fields, quoted: state == .afterClosingQuote)
                    return endRecord(fields, recordLine, recordColumn)
                case Byte.quote:
                    if state == .unquoted {
                        problems.append(CSVProblem(
                            kind: .quoteInUnquotedField, line: line, column: column,
                            message: "quote inside an unquoted field; expected the whole field in quotes, with \"\" for a quote"))
                    }
                    fieldBytes.append(byte)
                    column += 1
                default:
                    fieldBytes.append(byte)
                    column += 1 + (state == .unquoted ? input.appendPlainRun(to: &fieldBytes, stopAtComma: true) : 0)
                }

            case .quoted:
                if byte == Byte.quote {
                    state = .quoteInQuoted
                    column += 1
                } else if byte == Byte.lf {
                    if openQuote?.firstLineBreak == nil { openQuote?.firstLineBreak = fieldBytes.count }
                    fieldBytes.append(byte)
                    line += 1
                    column = 1
                } else {
                    fieldBytes.append(byte)
                    column += 1 + input.appendPlainRun(to: &fieldBytes, stopAtComma: false)
                }

            case .quoteInQuoted:
                switch byte {
                case Byte.quote:   // "" inside a quoted field: one literal quote
                    fieldBytes.append(Byte.quote)
                    fieldBytes.append(Byte.quote)
                    hasEscapedQuote = true
                    state = .quoted
                    column += 1
                case Byte.comma:
                    finishField(into: &fields, quoted: true)
                    state = .fieldStart
                    column += 1
                case Byte.lf:
                    finishField(into: &fields, quoted: true)
                    return endRecord(fields, recordLine, recordColumn)
                case Byte.cr where isLineBreakAfterCR():
                    finishField(into: &fields, quoted: true)
                    return endRecord(fields, recordLine, recordColumn)
                default:
                    if let open = openQuote, open.firstLineBreak != nil {
                        return undoUnterminatedQuote(open, fields: fields, recordLine: recordLine,
                                                     recordColumn: recordColumn, consumedAfterField: [Byte.quote, byte])
                    }
                    reportTextAfterClosingQuote()
                    state = .afterClosingQuote
                    fieldBytes.append(byte)
                    column += 1
                }
            }
        }
    }

    /// Reads the next record without the state machine when it is a plain line (`CSVPlainField`): offered to
    /// `read`, or made a record with no problem. Returns nil (having read nothing) for any other record.
    private mutating func plainLine<Value>(
        _ read: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<CSVPlainField>, Int, Int) -> Value?
    ) -> CSVRow<Value>? {
        let recordLine = line, recordColumn = column
        var fields = plainFields
        plainFields = []
        fields.removeAll(keepingCapacity: true)
        let row = input.takeLine { bytes -> CSVRow<Value>? in
            var end = bytes.count
            if end > 0 && bytes[end - 1] == Byte.cr { end -= 1 }
            let line = UnsafeBufferPointer(rebasing: bytes[..<end])
            guard Self.scanPlainLine(line, into: &fields) else { return nil }
            if let value = fields.withUnsafeBufferPointer({ read(line, $0, recordLine, recordColumn) }) {
                return .plain(value)
            }
            return .record(CSVRecord(fields: fields.map { field in
                CSVField(text: field.text(in: line), line: recordLine,
                         column: field.column(in: line, lineStartsAt: recordColumn), isQuoted: field.isQuoted)
            }, line: recordLine, column: recordColumn, endLine: recordLine,
               endColumn: CSVPlainField.column(of: end, in: line, lineStartsAt: recordColumn)))
        }
        let count = fields.count
        plainFields = fields
        guard let row else { return nil }
        expectedFields = Swift.max(count, 1)
        line += 1
        column = 1
        return row
    }

    /// Splits a line (without its line break) into `fields`; false when the line is not plain: a CR or
    /// ill-formed UTF-8 in it, a quote in an unquoted field, or a quoted field not closed on the line or followed
    /// by other characters than a comma.
    ///
    /// Every row of a CSV manifest passes through here, so the line is read eight bytes at a time, and columns
    /// are left to be counted when a record needs them.
    private static func scanPlainLine(_ line: UnsafeBufferPointer<UInt8>, into fields: inout [CSVPlainField]) -> Bool {
        guard let base = line.baseAddress else {
            fields.append(CSVPlainField(start: 0, end: 0, isQuoted: false, hasEscapedQuote: false))
            return true
        }
        let end = line.count
        var nonASCII: UInt64 = 0
        var index = 0
        while index + 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if SWAR.zeroBytes(word ^ SWAR.repeated(Byte.cr)) != 0 { return false }
            nonASCII |= word
            index += 8
        }
        while index < end {
            if base[index] == Byte.cr { return false }
            nonASCII |= UInt64(base[index])
            index += 1
        }
        if nonASCII & SWAR.highBits != 0 && !UTF8Lead.isWellFormed(line) { return false }
        var start = 0
        while true {
            var next: Int
            if start < end && base[start] == Byte.quote {
                // A quoted field: up to its closing quote, with `""` for a quote.
                next = start + 1
                var escaped = false
                while true {
                    next = SWAR.firstIndex(of: Byte.quote, or: Byte.quote, in: line, from: next)
                    guard next < end else { return false }   // not closed on this line
                    guard next + 1 < end && base[next + 1] == Byte.quote else { break }
                    escaped = true
                    next += 2
                }
                fields.append(CSVPlainField(start: start + 1, end: next, isQuoted: true, hasEscapedQuote: escaped))
                next += 1
                guard next == end || base[next] == Byte.comma else { return false }
            } else {
                next = SWAR.firstIndex(of: Byte.comma, or: Byte.quote, in: line, from: start)
                if next < end && base[next] == Byte.quote { return false }
                fields.append(CSVPlainField(start: start, end: next, isQuoted: false, hasEscapedQuote: false))
            }
            if next == end { return true }
            start = next + 1   // past the comma
        }
    }

    /// After a CR outside quotes: consumes the LF of a CRLF and says whether the CR ends the record (CRLF, or CR
    /// at the end of input).
    private mutating func isLineBreakAfterCR() -> Bool {
        switch input.peek() {
        case Byte.lf?:
            input.skip(1)
            return true
        case nil:
            return true
        default:
            return false
        }
    }

    private mutating func reportTextAfterClosingQuote() {
        problems.append(CSVProblem(kind: .textAfterClosingQuote, line: line, column: column,
                                   message: "characters after a closing quote; expected a comma or a line break"))
    }

    /// Ends the record at the line break just read (its position is the current one).
    private mutating func endRecord(_ fields: [CSVField], _ recordLine: Int, _ recordColumn: Int) -> CSVRecord {
        let record = makeRecord(fields, recordLine, recordColumn, endLine: line, endColumn: column)
        expectedFields = Swift.max(fields.count, 1)
        line += 1
        column = 1
        return record
    }

    private func makeRecord(_ fields: [CSVField], _ recordLine: Int, _ recordColumn: Int,
                            endLine: Int, endColumn: Int) -> CSVRecord {
        CSVRecord(fields: fields, line: recordLine, column: recordColumn, endLine: endLine, endColumn: endColumn,
                  problems: problems.isEmpty ? [] : problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }

    /// A quoted field ran over a line break and never closed properly (end of input, or its closing quote was
    /// followed by other characters): the field takes the rest of the quote's line, the record ends there, and
    /// the bytes after that line break are put back to be read again.
    private mutating func undoUnterminatedQuote(_ open: OpenQuote, fields: [CSVField], recordLine: Int,
                                                recordColumn: Int, consumedAfterField: [UInt8]) -> CSVRecord {
        let lineBreak = open.firstLineBreak!
        input.pushFront(Array(fieldBytes[(lineBreak + 1)...]) + consumedAfterField)
        fieldBytes.removeSubrange(lineBreak...)
        if fieldBytes.last == Byte.cr { fieldBytes.removeLast() }
        Self.collapseEscapedQuotes(in: &fieldBytes)
        let text = String(decoding: fieldBytes, as: UTF8.self)
        fieldBytes.removeAll(keepingCapacity: true)

        // Problems found past the quote's line belong to lines that will be read again.
        problems.removeAll { $0.line > open.line }
        problems.append(CSVProblem(kind: .unterminatedQuote, line: open.line, column: open.column,
                                   message: "unterminated quoted field"))
        var fields = fields
        fields.append(CSVField(text: text, line: open.line, column: open.column, isQuoted: true))
        let endColumn = open.column + 1 + text.unicodeScalars.count
        let record = makeRecord(fields, recordLine, recordColumn, endLine: open.line, endColumn: endColumn)
        line = open.line + 1
        column = 1
        pendingContinuations = 0
        return record
    }

    /// Replaces each `""` in `bytes` by `"`: a quoted field's inside as its text holds it.
    static func collapseEscapedQuotes(in bytes: inout [UInt8]) {
        var out = 0, i = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            bytes[out] = byte
            out += 1
            i += (byte == Byte.quote && i + 1 < count && bytes[i + 1] == Byte.quote) ? 2 : 1
        }
        bytes.removeSubrange(out...)
    }
}

// MARK: - UTF-8 validation and columns

extension CSVTokenizer {
    /// Advances the column over a byte ≥ 0x80, reporting ill-formed sequences (each maximal ill-formed subpart
    /// is one U+FFFD, as `String(decoding:as:)` makes it, so it counts as one column).
    private mutating func track(_ byte: UInt8) {
        if pendingContinuations > 0 {
            if byte >= continuationLow && byte <= continuationHigh {
                pendingContinuations -= 1
                continuationLow = 0x80
                continuationHigh = 0xBF
                if pendingContinuations == 0 { column += 1 }
                return
            }
            flushInvalidSequence()
        }
        if let (count, low, high) = UTF8Lead.expectation(byte) {
            expect(count, low, high)
        } else {
            reportInvalidUTF8(byte)
            column += 1
        }
    }

    private mutating func expect(_ count: Int, _ low: UInt8, _ high: UInt8) {
        pendingContinuations = count
        continuationLow = low
        continuationHigh = high
    }

    /// An incomplete multi-byte sequence was cut short: it is one invalid scalar at the current column.
    private mutating func flushInvalidSequence() {
        guard pendingContinuations > 0 else { return }
        pendingContinuations = 0
        continuationLow = 0x80
        continuationHigh = 0xBF
        problems.append(CSVProblem(kind: .invalidUTF8, line: line, column: column,
                                   message: "invalid UTF-8: incomplete multi-byte sequence"))
        column += 1
    }

    private mutating func reportInvalidUTF8(_ byte: UInt8) {
        let hex = String(byte, radix: 16, uppercase: true)
        problems.append(CSVProblem(kind: .invalidUTF8, line: line, column: column,
                                   message: "invalid UTF-8 byte 0x\(hex.count < 2 ? "0" + hex : hex)"))
    }
}

// MARK: - Input

/// Reads chunks from a file or a function; closes the file when released.
final class CSVChunkSource {
    private let readChunk: () -> [UInt8]?
    private let close: (() -> Void)?
    private var finished = false

    init(read: @escaping () -> [UInt8]?) {
        readChunk = read
        close = nil
    }

    init(path: String) throws(ManifestOpenError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ManifestOpenError(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw ManifestOpenError(path: path, reason: "is a folder")
        }
        guard let file = fopen(path, "rb") else {
            throw ManifestOpenError(path: path, reason: String(cString: strerror(errno)))
        }
        let chunkSize = 64 * 1024
        readChunk = {
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, file) }
            guard count > 0 else { return nil }
            if count < chunkSize { chunk.removeSubrange(count...) }
            return chunk
        }
        close = { fclose(file) }
    }

    /// The next non-empty chunk, or nil at the end (and ever after).
    func read() -> [UInt8]? {
        while !finished {
            guard let chunk = readChunk() else {
                finished = true
                return nil
            }
            if !chunk.isEmpty { return chunk }
        }
        return nil
    }

    deinit { close?() }
}

/// A byte cursor over chunks, with one byte of look-ahead and a way to put bytes back.
struct CSVByteInput {
    private var buffer: [UInt8]
    private var index = 0
    private let source: CSVChunkSource?

    init(buffer: [UInt8], source: CSVChunkSource?) {
        self.buffer = buffer
        self.source = source
    }

    @inline(__always)
    mutating func next() -> UInt8? {
        if index < buffer.count {
            let byte = buffer[index]
            index += 1
            return byte
        }
        guard refill() else { return nil }
        index = 1
        return buffer[0]
    }

    @inline(__always)
    mutating func peek() -> UInt8? {
        if index < buffer.count { return buffer[index] }
        guard refill() else { return nil }
        return buffer[0]
    }

    mutating func skip(_ count: Int) {
        for _ in 0..<count { _ = next() }
    }

    /// Whether the unread input starts with `prefix` (reading more chunks as needed).
    mutating func hasPrefix(_ prefix: [UInt8]) -> Bool {
        while buffer.count - index < prefix.count {
            guard let chunk = source?.read() else { break }
            buffer = Array(buffer[index...]) + chunk
            index = 0
        }
        guard buffer.count - index >= prefix.count else { return false }
        return buffer[index..<(index + prefix.count)].elementsEqual(prefix)
    }

    /// Moves the run of plain field bytes at the read position into `field` and returns how many: ASCII other
    /// than a quote, CR, LF and (with `stopAtComma`) a comma, within the current chunk. The byte-by-byte
    /// state machine takes over at the first other byte.
    @inline(__always)
    mutating func appendPlainRun(to field: inout [UInt8], stopAtComma: Bool) -> Int {
        let start = index
        let end = buffer.withUnsafeBufferPointer { bytes -> Int in
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte >= 0x80 || byte == 0x22 || byte == 0x0A || byte == 0x0D || (stopAtComma && byte == 0x2C) {
                    break
                }
                end += 1
            }
            return end
        }
        guard end > start else { return 0 }
        field.append(contentsOf: buffer[start..<end])
        index = end
        return end - start
    }

    /// Calls `body` with the unread bytes of the current chunk before its next LF, when the chunk holds one, and
    /// moves past that LF when `body` returns a value; otherwise reads nothing.
    @inline(__always)
    mutating func takeLine<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        let start = index
        let taken: (value: T, next: Int)? = buffer.withUnsafeBufferPointer { all in
            guard start < all.count, let base = all.baseAddress,
                  let found = memchr(base + start, Int32(Byte.lf), all.count - start) else { return nil }
            let end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            guard let value = body(UnsafeBufferPointer(rebasing: all[start..<end])) else { return nil }
            return (value, end + 1)
        }
        guard let taken else { return nil }
        index = taken.next
        return taken.value
    }

    /// Puts bytes back in front of the unread input.
    mutating func pushFront(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        buffer = bytes + buffer[index...]
        index = 0
    }

    /// Replaces the exhausted buffer by the next chunk; false at the end of input.
    private mutating func refill() -> Bool {
        guard let chunk = source?.read() else { return false }
        buffer = chunk
        index = 0
        return true
    }
}
