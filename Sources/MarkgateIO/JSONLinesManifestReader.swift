import Foundation
import MarkgateCore

/// Reads a JSON Lines parcel manifest (contract §2) as a stream of `ManifestRecord`s, in input order.
///
/// - One parcel per line: `{"parcel_id": "P1", "consignor": "…", "consignee": "…", "items": [{"description":
///   "…", "hs_code": "640411", "unit_price": 12.5, "currency": "USD", "quantity": 2, "origin": "CN",
///   "line_no": 1}]}`. Keys are matched exactly; unknown keys are ignored (their values must still be JSON).
///   Lines end with LF or CRLF; blank lines (only spaces, tabs, CR) are skipped; a UTF-8 byte-order mark at the
///   very start is skipped and not counted in columns. A line may be of any length (it is held in memory).
/// - Each line is parsed strictly (RFC 8259): objects, arrays, strings with every escape including `\uXXXX`
///   surrogate pairs, numbers, `true`, `false`, `null`; no control characters or invalid UTF-8 in strings, nothing
///   after the object but white space. A line that cannot be parsed is an `.error` record at the problem's
///   1-based line and column (columns in Unicode scalars) saying what was expected, e.g. `expected ',' or '}'`;
///   its `parcel` is the `parcel_id` when that was read before the problem.
/// - Values are checked like the CSV reader's: `parcel_id` (a string, or a number kept as written) and `items`
///   (an array of at least one object) are required; each item needs a non-blank `description` (kept exactly as
///   declared); `hs_code` is 6 to 10 digits; `quantity` and `unit_price` are finite numbers ≥ 0, given as JSON
///   numbers or as strings (`"12.5"`); `line_no` is a whole number from 1 (default: the item's position);
///   `currency` and `origin` are upper-cased; other values are trimmed, and `null` or an empty string is absent.
///   A line with a bad value is an error record naming the first problem from left to right (a missing key
///   counts at its object's `{`), with the line's `parcel_id` when it has a valid one.
/// - A parsed line is `.parcel(p, source:)` at the line and the column of its `{`. Every other line still comes
///   through whatever is wrong with one.
///
/// The reader is both the sequence and its iterator. One made from bytes is a value (each copy reads from the
/// start); one made from a path or chunk function streams its input in chunks, and its copies share that stream.
public struct JSONLinesManifestReader: Sequence, IteratorProtocol {
    public typealias Element = ManifestRecord

    /// The name used in source locations.
    public let file: String
    private var lines: JSONLineSplitter
    /// Asked at the end of input: why the input ended early (e.g. a truncated gzip stream), if it did.
    private let inputError: (() -> String?)?
    private var lineNumber = 0
    private var finished = false
    private var queued: ManifestRecord?

    /// Opens a manifest file for streaming in 64 KiB chunks; throws only when the file cannot be opened.
    public init(path: String) throws(ManifestOpenError) {
        let source = try CSVChunkSource(path: path)
        self.init(file: path, chunks: { source.read() })
    }

    /// Reads a manifest held in memory; `file` names it in source locations.
    public init(bytes: [UInt8], file: String) {
        self.file = file
        lines = JSONLineSplitter(bytes: bytes)
        inputError = nil
    }

    /// Reads a manifest from a stream of chunks (e.g. standard input, 64 KiB at a time); `chunks` returns nil at
    /// the end and is not called again. `file` names it in source locations.
    public init(file: String, chunks: @escaping () -> [UInt8]?) {
        self.init(file: file, chunks: chunks, inputError: nil)
    }

    /// As `init(file:chunks:)`; when the input has ended, `inputError` says whether it ended early and why. Then
    /// the line the input broke off in (if any) becomes an error record with that message at the point where it
    /// broke off (keeping its `parcel_id` when one was read); when the break fell between lines, or the last
    /// line was complete JSON, one error record with that message follows the last record.
    init(file: String, chunks: @escaping () -> [UInt8]?, inputError: (() -> String?)?) {
        self.file = file
        lines = JSONLineSplitter(chunks: chunks)
        self.inputError = inputError
    }

    public mutating func next() -> ManifestRecord? {
        if let record = queued {
            queued = nil
            return record
        }
        while !finished {
            guard let line = lines.nextLine() else {
                finished = true
                if let message = inputError?() {
                    return .error(RecordError(parcel: nil, location: location(lineNumber + 1, 1), message: message))
                }
                return nil
            }
            lineNumber += 1
            let result = lines.withBytes(of: line) { JSONLineParser.parse($0) }

            if !line.isTerminated, let message = inputError?() {
                // The input broke off in this line.
                finished = true
                let end = lines.withBytes(of: line) { JSONLineParser.column(at: $0.count, in: $0) }
                let cut = location(lineNumber, end)
                switch result {
                case .blank:
                    return .error(RecordError(parcel: nil, location: cut, message: message))
                case .parcel(let parcel, let column):
                    queued = .error(RecordError(parcel: nil, location: cut, message: message))
                    return .parcel(parcel, source: location(lineNumber, column))
                case .failure(let parcel, _, _):
                    return .error(RecordError(parcel: parcel, location: cut, message: message))
                }
            }

            switch result {
            case .blank:
                continue
            case .parcel(let parcel, let column):
                return .parcel(parcel, source: location(lineNumber, column))
            case .failure(let parcel, let column, let message):
                return .error(RecordError(parcel: parcel, location: location(lineNumber, column), message: message))
            }
        }
        return nil
    }

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}

// MARK: - Lines

/// Splits a byte stream into lines at LF, holding only the current line (however long) in memory.
struct JSONLineSplitter {
    struct Line {
        /// The line's bytes in the buffer, without its LF.
        var range: Range<Int>
        /// Whether an LF ended it (false only for a last line the input ended in).
        var isTerminated: Bool
    }

    private var buffer: [UInt8]
    private var start = 0
    /// Bytes before this index (from `start`) are known to hold no LF.
    private var scanned = 0
    private let source: (() -> [UInt8]?)?
    private var sourceEnded: Bool
    private var checkedBOM = false

    init(bytes: [UInt8]) {
        buffer = bytes
        source = nil
        sourceEnded = true
    }

    init(chunks: @escaping () -> [UInt8]?) {
        buffer = []
        source = chunks
        sourceEnded = false
    }

    /// The next line, or nil at the end of input. Its range is valid until the next call.
    mutating func nextLine() -> Line? {
        if !checkedBOM {
            checkedBOM = true
            while buffer.count - start < 3 && readMore() {}
            if buffer.count - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB
                && buffer[start + 2] == 0xBF {
                start += 3
                scanned = start
            }
        }
        while true {
            if let lf = findLineFeed() {
                let line = Line(range: start..<lf, isTerminated: true)
                start = lf + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            guard readMore() else {
                guard start < buffer.count else { return nil }
                let line = Line(range: start..<buffer.count, isTerminated: false)
                start = buffer.count
                scanned = start
                return line
            }
        }
    }

    /// Calls `body` with the bytes of a line just returned by `nextLine()`.
    func withBytes<R>(of line: Line, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[line.range])) }
    }

    private func findLineFeed() -> Int? {
        guard scanned < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { all -> Int? in
            let base = all.baseAddress!
            guard let found = memchr(base + scanned, 0x0A, all.count - scanned) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Appends the source's next non-empty chunk, dropping the bytes already read; false at the end of input.
    private mutating func readMore() -> Bool {
        guard !sourceEnded, let source else { return false }
        while true {
            guard let chunk = source() else {
                sourceEnded = true
                return false
            }
            if chunk.isEmpty { continue }
            if start == buffer.count {
                buffer = chunk
                start = 0
                scanned = 0
            } else {
                if start > 0 {
                    buffer.removeSubrange(0..<start)
                    scanned -= start
                    start = 0
                }
                buffer.append(contentsOf: chunk)
            }
            return true
        }
    }
}

// MARK: - Parsing one line

/// What one line holds.
enum JSONLineResult {
    case blank
    /// A parcel, with the column of its `{`.
    case parcel(Parcel, column: Int)
    /// The first problem: where (column) and what, with the parcel id when one was read.
    case failure(parcel: String?, column: Int, message: String)
}

/// A strict, allocation-light JSON parser for one manifest line, reading the parcel straight from the bytes.
struct JSONLineParser {
    /// A line that is not JSON: parsing stops at the first such problem.
    struct SyntaxError: Error {
        var offset: Int
        var message: String
    }

    /// A JSON value read where a field's value was expected (objects and arrays are checked and skipped).
    enum Value {
        case string(String)
        /// The number exactly as written (already checked against the JSON grammar).
        case number(String)
        case bool(Bool)
        case null
        case object
        case array

        /// The value as shown in a message: strings in quotes, numbers and literals as written.
        var shown: String? {
            switch self {
            case .string(let text): return "\"\(text)\""
            case .number(let text): return text
            case .bool(let value): return value ? "true" : "false"
            case .null: return "null"
            case .object, .array: return nil
            }
        }
    }

    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The parcel id, once read.
    var parcelID: String?
    /// The first value problem from left to right (the line is still parsed to its end).
    var problem: (offset: Int, message: String)?

    /// Parses one line (without its LF).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONLineResult {
        var parser = JSONLineParser(bytes: bytes)
        parser.skipWhitespace()
        if parser.index == bytes.count { return .blank }
        let objectStart = parser.index
        do {
            let parcel = try parser.parseParcel()
            if let problem = parser.problem {
                return .failure(parcel: parser.parcelID, column: column(at: problem.offset, in: bytes),
                                message: problem.message)
            }
            return .parcel(parcel, column: column(at: objectStart, in: bytes))
        } catch {
            return .failure(parcel: parser.parcelID, column: column(at: error.offset, in: bytes),
                            message: error.message)
        }
    }

    /// The 1-based column of a byte offset, in Unicode scalars (an ill-formed UTF-8 sequence counts as the one
    /// U+FFFD it decodes to).
    static func column(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let prefix = UnsafeBufferPointer(rebasing: bytes[0..<min(offset, bytes.count)])
        var count = 0
        if prefix.allSatisfy({ $0 < 0x80 }) {
            count = prefix.count
        } else {
            count = String(decoding: prefix, as: UTF8.self).unicodeScalars.count
        }
        return count + 1
    }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }
}

private enum ASCII {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
}

// MARK: Parcels and items

extension JSONLineParser {
    private struct Keys: OptionSet {
        var rawValue: UInt16
        static let parcelID = Keys(rawValue: 1 << 0)
        static let consignor = Keys(rawValue: 1 << 1)
        static let consignee = Keys(rawValue: 1 << 2)
        static let items = Keys(rawValue: 1 << 3)
        static let description = Keys(rawValue: 1 << 4)
        static let hsCode = Keys(rawValue: 1 << 5)
        static let quantity = Keys(rawValue: 1 << 6)
        static let unitPrice = Keys(rawValue: 1 << 7)
        static let currency = Keys(rawValue: 1 << 8)
        static let origin = Keys(rawValue: 1 << 9)
        static let lineNo = Keys(rawValue: 1 << 10)
    }

    /// Keeps the leftmost value problem.
    private mutating func report(_ offset: Int, _ message: String) {
        if let problem, problem.offset <= offset { return }
        problem = (offset, message)
    }

    private mutating func bad(_ name: String, _ value: Value, at offset: Int, expected: String) {
        let shown = value.shown.map { " \($0)" } ?? ""
        report(offset, "bad \(name)\(shown): expected \(expected)")
    }

    /// Notes a known key; a key given twice in one object is a problem.
    private mutating func see(_ key: Keys, _ name: String, in seen: inout Keys, at offset: Int) {
        if seen.contains(key) { report(offset, "key \"\(name)\" given twice") }
        seen.insert(key)
    }

    mutating func parseParcel() throws(SyntaxError) -> Parcel {
        let parcel = try parseParcelObject()
        skipWhitespace()
        if index < bytes.count {
            throw SyntaxError(offset: index, message: "expected the end of the line after the parcel object")
        }
        return parcel
    }

    /// Reads one parcel object at its `{` (value problems go to `problem`), stopping after its `}`.
    mutating func parseParcelObject() throws(SyntaxError) -> Parcel {
        let objectStart = index
        guard peek() == ASCII.openBrace else { throw SyntaxError(offset: index, message: "expected '{' starting a parcel object") }
        var seen = Keys()
        var consignor: String?
        var consignee: String?
        var items: [ParcelItem] = []

        var more = try beginObject()
        while more {
            let (key, keyOffset) = try readKey()
            let valueOffset = index
            switch key {
            case "parcel_id":
                see(.parcelID, key, in: &seen, at: keyOffset)
                let value = try readValue()
                switch value {
                case .string(let text):
                    let id = Self.trimmed(text)
                    if id.isEmpty { report(valueOffset, "empty parcel_id") } else { parcelID = id }
                case .number(let text):
                    parcelID = text
                default:
                    bad("parcel_id", value, at: valueOffset, expected: "a string")
                }
            case "consignor":
                see(.consignor, key, in: &seen, at: keyOffset)
                let value = try readValue()
                consignor = optionalText("consignor", value, at: valueOffset)
            case "consignee":
                see(.consignee, key, in: &seen, at: keyOffset)
                let value = try readValue()
                consignee = optionalText("consignee", value, at: valueOffset)
            case "items":
                see(.items, key, in: &seen, at: keyOffset)
                items = try parseItems()
            default:
                try skipValue(depth: 2)
            }
            more = try endMember()
        }

        if !seen.contains(.parcelID) { report(objectStart, "missing parcel_id") }
        if !seen.contains(.items) { report(objectStart, "missing items: expected at least one item") }
        return Parcel(id: parcelID ?? "", consignor: consignor, consignee: consignee, items: items)
    }

    private mutating func parseItems() throws(SyntaxError) -> [ParcelItem] {
        let arrayStart = index
        guard peek() == ASCII.openBracket else {
            let value = try readValue()
            bad("items", value, at: arrayStart, expected: "an array of item objects")
            return []
        }
        index += 1
        skipWhitespace()
        if peek() == ASCII.closeBracket {
            index += 1
            report(arrayStart, "empty items: expected at least one item")
            return []
        }
        var items: [ParcelItem] = []
        var position = 0
        while true {
            skipWhitespace()
            position += 1
            if peek() == ASCII.openBrace {
                let item = try parseItem(position: position)
                items.append(item)
            } else {
                let offset = index
                let value = try readValue(depth: 3)
                bad("item \(position)", value, at: offset, expected: "an object")
            }
            skipWhitespace()
            switch peek() {
            case ASCII.comma?:
                index += 1
            case ASCII.closeBracket?:
                index += 1
                return items
            default:
                throw SyntaxError(offset: index, message: "expected ',' or ']'")
            }
        }
    }

    private mutating func parseItem(position: Int) throws(SyntaxError) -> ParcelItem {
        let objectStart = index
        var seen = Keys()
        var item = ParcelItem(line: position, description: "")

        var more = try beginObject()
        while more {
            let (key, keyOffset) = try readKey()
            let valueOffset = index
            switch key {
            case "description":
                see(.description, key, in: &seen, at: keyOffset)
                let value = try readValue()
                if case .string(let text) = value {
                    if Self.trimmed(text).isEmpty { report(valueOffset, "empty description") }
                    item.description = text
                } else {
                    bad("description", value, at: valueOffset, expected: "a string")
                }
            case "hs_code":
                see(.hsCode, key, in: &seen, at: keyOffset)
                let value = try readValue()
                let text = digitsText("hs_code", value, at: valueOffset, expected: "6 to 10 digits")
                if let text, !text.isEmpty {
                    if ManifestFields.isHSCode(text) {
                        item.hsCode = text
                    } else {
                        bad("hs_code", value, at: valueOffset, expected: "6 to 10 digits")
                    }
                }
            case "quantity":
                see(.quantity, key, in: &seen, at: keyOffset)
                let value = try readValue()
                item.quantity = amount("quantity", value, at: valueOffset)
            case "unit_price":
                see(.unitPrice, key, in: &seen, at: keyOffset)
                let value = try readValue()
                item.unitPrice = amount("unit_price", value, at: valueOffset)
            case "currency":
                see(.currency, key, in: &seen, at: keyOffset)
                let value = try readValue()
                item.currency = optionalText("currency", value, at: valueOffset)?.uppercased()
            case "origin":
                see(.origin, key, in: &seen, at: keyOffset)
                let value = try readValue()
                item.origin = optionalText("origin", value, at: valueOffset)?.uppercased()
            case "line_no":
                see(.lineNo, key, in: &seen, at: keyOffset)
                let value = try readValue()
                let text = digitsText("line_no", value, at: valueOffset, expected: "a whole number from 1")
                if let text, !text.isEmpty {
                    if let number = Int(text), number >= 1 {
                        item.line = number
                    } else {
                        bad("line_no", value, at: valueOffset, expected: "a whole number from 1")
                    }
                }
            default:
                try skipValue(depth: 4)
            }
            more = try endMember()
        }
        if !seen.contains(.description) { report(objectStart, "missing description in item \(position)") }
        return item
    }

    /// A trimmed string, absent when empty or null.
    /// A field given as a string or a number (`"640411"` or `640411`), trimmed; nil when null or another type
    /// (reported as not what was `expected`).
    private mutating func digitsText(_ name: String, _ value: Value, at offset: Int, expected: String) -> String? {
        switch value {
        case .string(let string): return Self.trimmed(string)
        case .number(let number): return number
        case .null: return nil
        default:
            bad(name, value, at: offset, expected: expected)
            return nil
        }
    }

    private mutating func optionalText(_ name: String, _ value: Value, at offset: Int) -> String? {
        switch value {
        case .string(let text):
            let trimmed = Self.trimmed(text)
            return trimmed.isEmpty ? nil : trimmed
        case .null:
            return nil
        default:
            bad(name, value, at: offset, expected: "a string")
            return nil
        }
    }

    /// A finite number ≥ 0, from a JSON number or a string holding one; absent when null or an empty string.
    private mutating func amount(_ name: String, _ value: Value, at offset: Int) -> Double? {
        let text: String
        switch value {
        case .number(let number): text = number
        case .string(let string): text = Self.trimmed(string)
        case .null: return nil
        default:
            bad(name, value, at: offset, expected: "a number ≥ 0")
            return nil
        }
        if text.isEmpty { return nil }
        guard let number = ManifestFields.number(text), number.isFinite, number >= 0 else {
            bad(name, value, at: offset, expected: "a number ≥ 0")
            return nil
        }
        return number
    }

    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return text }   // the common case
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

// MARK: Syntax

extension JSONLineParser {
    @inline(__always)
    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D, 0x0A: index += 1
            default: return
            }
        }
    }

    /// At an object's `{`: consumes it and says whether a member follows (false after an empty object's `}`).
    private mutating func beginObject() throws(SyntaxError) -> Bool {
        index += 1
        skipWhitespace()
        switch peek() {
        case ASCII.closeBrace?:
            index += 1
            return false
        case ASCII.quote?:
            return true
        default:
            throw SyntaxError(offset: index, message: "expected a key in double quotes or '}'")
        }
    }

    /// Reads a member's key (at its opening quote) and the `:` after it; returns the key and its offset.
    private mutating func readKey() throws(SyntaxError) -> (String, Int) {
        let keyOffset = index
        let key = try readString()
        skipWhitespace()
        guard peek() == ASCII.colon else { throw SyntaxError(offset: index, message: "expected ':'") }
        index += 1
        skipWhitespace()
        return (key, keyOffset)
    }

    /// After a member's value: true after `,` (the next key's quote is then at `index`), false after the `}`.
    private mutating func endMember() throws(SyntaxError) -> Bool {
        skipWhitespace()
        switch peek() {
        case ASCII.comma?:
            index += 1
            skipWhitespace()
            guard peek() == ASCII.quote else {
                throw SyntaxError(offset: index, message: "expected a key in double quotes")
            }
            return true
        case ASCII.closeBrace?:
            index += 1
            return false
        default:
            throw SyntaxError(offset: index, message: "expected ',' or '}'")
        }
    }

    /// Reads any value; objects and arrays are checked and skipped.
    mutating func readValue(depth: Int = 1) throws(SyntaxError) -> Value {
        switch peek() {
        case ASCII.quote?:
            return .string(try readString())
        case ASCII.openBrace?:
            try skipValue(depth: depth)
            return .object
        case ASCII.openBracket?:
            try skipValue(depth: depth)
            return .array
        case let byte? where byte == ASCII.minus || (byte >= ASCII.zero && byte <= ASCII.nine):
            return .number(try readNumber())
        default:
            if readLiteral("true") { return .bool(true) }
            if readLiteral("false") { return .bool(false) }
            if readLiteral("null") { return .null }
            throw SyntaxError(offset: index, message: "expected a JSON value")
        }
    }

    /// Checks and skips any value (iteratively deep only up to `maximumDepth`).
    mutating func skipValue(depth: Int) throws(SyntaxError) {
        switch peek() {
        case ASCII.openBrace?:
            guard depth <= Self.maximumDepth else {
                throw SyntaxError(offset: index, message: "nesting too deep: expected at most \(Self.maximumDepth) levels")
            }
            var more = try beginObject()
            while more {
                _ = try readKey()
                try skipValue(depth: depth + 1)
                more = try endMember()
            }
        case ASCII.openBracket?:
            guard depth <= Self.maximumDepth else {
                throw SyntaxError(offset: index, message: "nesting too deep: expected at most \(Self.maximumDepth) levels")
            }
            index += 1
            skipWhitespace()
            if peek() == ASCII.closeBracket {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                switch peek() {
                case ASCII.comma?:
                    index += 1
                case ASCII.closeBracket?:
                    index += 1
                    return
                default:
                    throw SyntaxError(offset: index, message: "expected ',' or ']'")
                }
            }
        default:
            _ = try readValue(depth: depth)
        }
    }

    /// Reads `word` if the input continues with it.
    private mutating func readLiteral(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        let start = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        index += count
        return true
    }

    /// Reads a number by the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func readNumber() throws(SyntaxError) -> String {
        let start = index
        func isDigit(_ byte: UInt8?) -> Bool {
            guard let byte else { return false }
            return byte >= ASCII.zero && byte <= ASCII.nine
        }
        if peek() == ASCII.minus { index += 1 }
        guard isDigit(peek()) else { throw SyntaxError(offset: index, message: "bad number: expected a digit") }
        if peek() == ASCII.zero {
            index += 1
        } else {
            while isDigit(peek()) { index += 1 }
        }
        if peek() == ASCII.dot {
            index += 1
            guard isDigit(peek()) else {
                throw SyntaxError(offset: index, message: "bad number: expected a digit after '.'")
            }
            while isDigit(peek()) { index += 1 }
        }
        if peek() == ASCII.lowerE || peek() == ASCII.upperE {
            index += 1
            if peek() == ASCII.plus || peek() == ASCII.minus { index += 1 }
            guard isDigit(peek()) else {
                throw SyntaxError(offset: index, message: "bad number: expected a digit in the exponent")
            }
            while isDigit(peek()) { index += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Reads a string at its opening quote: escapes decoded, UTF-8 checked.
    private mutating func readString() throws(SyntaxError) -> String {
        let open = index
        index += 1
        let contentStart = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == ASCII.backslash { return try readEscapedString(open: open, contentStart: contentStart) }
            if byte < 0x20 { throw controlCharacter(byte) }
            if byte < 0x80 { index += 1 } else { try skipUTF8Sequence() }
        }
        throw SyntaxError(offset: open, message: "unterminated string: expected a closing '\"'")
    }

    /// The rest of a string from its first backslash (at `index`).
    private mutating func readEscapedString(open: Int, contentStart: Int) throws(SyntaxError) -> String {
        var out = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.quote {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if byte < 0x20 { throw controlCharacter(byte) }
            if byte >= 0x80 {
                let start = index
                try skipUTF8Sequence()
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                continue
            }
            guard byte == ASCII.backslash else {
                out.append(byte)
                index += 1
                continue
            }
            let escapeStart = index
            guard index + 1 < bytes.count else {
                throw SyntaxError(offset: open, message: "unterminated string: expected a closing '\"'")
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case ASCII.quote, ASCII.backslash, ASCII.slash: out.append(escaped)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try readHex4(escapeStart: escapeStart)
                var scalarValue = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard index + 1 < bytes.count, bytes[index] == ASCII.backslash,
                          bytes[index + 1] == UInt8(ascii: "u") else {
                        throw SyntaxError(offset: escapeStart, message:
                            "lone surrogate \\u\(Self.hex4(unit)): expected a low surrogate \\uDC00–\\uDFFF after it")
                    }
                    let lowStart = index
                    index += 2
                    let low = try readHex4(escapeStart: lowStart)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw SyntaxError(offset: escapeStart, message:
                            "lone surrogate \\u\(Self.hex4(unit)): expected a low surrogate \\uDC00–\\uDFFF after it")
                    }
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw SyntaxError(offset: escapeStart, message:
                        "lone surrogate \\u\(Self.hex4(unit)): expected a high surrogate \\uD800–\\uDBFF before it")
                }
                out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalarValue)!)!)
            default:
                let shown = escaped >= 0x20 && escaped < 0x7F ? "\\\(Character(Unicode.Scalar(escaped)))" : "\\"
                throw SyntaxError(offset: escapeStart, message:
                    "bad escape \(shown): expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
            }
        }
        throw SyntaxError(offset: open, message: "unterminated string: expected a closing '\"'")
    }

    /// Four hex digits after `\u` (at `index`).
    private mutating func readHex4(escapeStart: Int) throws(SyntaxError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else {
                throw SyntaxError(offset: escapeStart, message: "bad \\u escape: expected 4 hex digits")
            }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw SyntaxError(offset: escapeStart, message: "bad \\u escape: expected 4 hex digits")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    private func controlCharacter(_ byte: UInt8) -> SyntaxError {
        let code = Self.hex4(UInt16(byte))
        return SyntaxError(offset: index, message: "control character U+\(code) in a string: expected it escaped (\\u\(code))")
    }

    /// Skips one well-formed multi-byte UTF-8 sequence at `index`, or reports the ill-formed byte there (the
    /// messages and positions the CSV tokenizer uses).
    private mutating func skipUTF8Sequence() throws(SyntaxError) {
        let lead = bytes[index]
        guard let (continuations, first, last) = UTF8Lead.expectation(lead) else {
            let hex = String(lead, radix: 16, uppercase: true)
            throw SyntaxError(offset: index, message: "invalid UTF-8 byte 0x\(hex.count < 2 ? "0" + hex : hex)")
        }
        var (low, high) = (first, last)   // the first continuation's range, then 0x80...0xBF
        for offset in 1...continuations {
            let position = index + offset
            guard position < bytes.count, bytes[position] >= low, bytes[position] <= high else {
                throw SyntaxError(offset: index, message: "invalid UTF-8: incomplete multi-byte sequence")
            }
            low = 0x80
            high = 0xBF
        }
        index += continuations + 1
    }
}
