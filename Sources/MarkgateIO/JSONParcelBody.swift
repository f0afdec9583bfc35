import MarkgateCore

/// Reads a request body holding one parcel object, or a JSON array of parcel objects (contract §2's JSON Lines
/// object), with the JSON Lines reader's parser.
///
/// A body that is not JSON is a `SyntaxError` at its 1-based line and column (columns in Unicode scalars); a body
/// that is JSON but holds a parcel with a bad value, or an array element that is not an object, yields an error
/// record in that parcel's place, so a batch is never lost to one bad parcel.
public enum JSONParcelBody {
    /// Where and why a body is not JSON.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String

        /// `line L, column C: message`.
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// What a body holds: one parcel object, or an array (a batch, possibly empty).
    public struct Parsed: Sendable {
        /// The records, in order: parcels (with their `{` as source) or error records.
        public var records: [ManifestRecord]
        /// Whether the body was an array (answered with an array) rather than one object.
        public var isBatch: Bool
    }

    /// Parses `bytes`; `file` names the body in error records' `source`. At most `maximumParcels` elements are
    /// read from an array: more is `BodyError.tooManyParcels`.
    public static func parse(_ bytes: [UInt8], file: String = "request",
                             maximumParcels: Int = .max) throws(BodyError) -> Parsed {
        try bytes.withUnsafeBufferPointer { (buffer) throws(BodyError) -> Parsed in
            var parser = JSONLineParser(bytes: buffer)
            do {
                parser.skipWhitespace()
                let result: Parsed
                switch parser.peek() {
                case UInt8(ascii: "{")?:
                    result = Parsed(records: [try record(&parser, buffer, file)], isBatch: false)
                case UInt8(ascii: "[")?:
                    result = Parsed(records: try array(&parser, buffer, file, maximumParcels), isBatch: true)
                case nil:
                    throw JSONLineParser.SyntaxError(offset: parser.index,
                                                     message: "empty body: expected a parcel object or an array")
                default:
                    throw JSONLineParser.SyntaxError(offset: parser.index,
                                                     message: "expected a parcel object or an array of them")
                }
                parser.skipWhitespace()
                if parser.index < buffer.count {
                    throw JSONLineParser.SyntaxError(offset: parser.index, message: "expected the end of the body")
                }
                return result
            } catch let error as JSONLineParser.SyntaxError {
                let (line, column) = position(of: error.offset, in: buffer)
                throw .syntax(SyntaxError(line: line, column: column, message: error.message))
            } catch let error as BodyError {
                throw error
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
    }

    /// Checks that `bytes` are one JSON value (RFC 8259) and nothing else; the first problem otherwise.
    public static func syntaxError(in bytes: [UInt8]) -> SyntaxError? {
        bytes.withUnsafeBufferPointer { buffer -> SyntaxError? in
            var parser = JSONLineParser(bytes: buffer)
            do throws(JSONLineParser.SyntaxError) {
                parser.skipWhitespace()
                if parser.index == buffer.count {
                    throw JSONLineParser.SyntaxError(offset: parser.index, message: "empty body: expected JSON")
                }
                try parser.skipValue(depth: 1)
                parser.skipWhitespace()
                if parser.index < buffer.count {
                    throw JSONLineParser.SyntaxError(offset: parser.index, message: "expected the end of the body")
                }
                return nil
            } catch {
                let (line, column) = position(of: error.offset, in: buffer)
                return SyntaxError(line: line, column: column, message: error.message)
            }
        }
    }

    /// A body that cannot be screened: not JSON, or a batch over the limit.
    public enum BodyError: Error, Sendable, Hashable {
        case syntax(SyntaxError)
        /// More than `limit` parcels in the array.
        case tooManyParcels(limit: Int)
    }

    private static func record(_ parser: inout JSONLineParser, _ buffer: UnsafeBufferPointer<UInt8>,
                               _ file: String) throws(JSONLineParser.SyntaxError) -> ManifestRecord {
        parser.parcelID = nil
        parser.problem = nil
        let start = parser.index
        let parcel = try parser.parseParcelObject()
        if let problem = parser.problem {
            let (line, column) = position(of: problem.offset, in: buffer)
            return .error(RecordError(parcel: parser.parcelID,
                                      location: SourceLocation(file: file, line: line, column: column),
                                      message: problem.message))
        }
        let (line, column) = position(of: start, in: buffer)
        return .parcel(parcel, source: SourceLocation(file: file, line: line, column: column))
    }

    private static func array(_ parser: inout JSONLineParser, _ buffer: UnsafeBufferPointer<UInt8>,
                              _ file: String, _ maximum: Int) throws -> [ManifestRecord] {
        parser.index += 1
        parser.skipWhitespace()
        var records: [ManifestRecord] = []
        if parser.peek() == UInt8(ascii: "]") {
            parser.index += 1
            return records
        }
        while true {
            parser.skipWhitespace()
            if records.count == maximum { throw BodyError.tooManyParcels(limit: maximum) }
            if parser.peek() == UInt8(ascii: "{") {
                records.append(try record(&parser, buffer, file))
            } else {
                let start = parser.index
                _ = try parser.readValue(depth: 2)
                let (line, column) = position(of: start, in: buffer)
                records.append(.error(RecordError(parcel: nil,
                                                  location: SourceLocation(file: file, line: line, column: column),
                                                  message: "expected a parcel object")))
            }
            parser.skipWhitespace()
            switch parser.peek() {
            case UInt8(ascii: ",")?:
                parser.index += 1
            case UInt8(ascii: "]")?:
                parser.index += 1
                return records
            default:
                throw JSONLineParser.SyntaxError(offset: parser.index, message: "expected ',' or ']'")
            }
        }
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    static func position(of offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let end = min(offset, buffer.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where buffer[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = JSONLineParser.column(at: end - lineStart, in: UnsafeBufferPointer(rebasing: buffer[lineStart...]))
        return (line, column)
    }
}
