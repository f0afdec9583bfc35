/// A field of a plain CSV line (`CSVTokenizer.nextRow`): where its bytes lie in the line (inside the quotes of a
/// quoted field), and whether it was quoted and held `""`; its column is counted only when asked for.
///
/// A plain line is one line of the tokenizer's current chunk, in well-formed UTF-8, with no CR but one right
/// before its LF, whose quoted fields all close on it and are followed by a comma or the line's end: the state
/// machine would read it with no problem, and its fields are what the state machine makes of them.
struct CSVPlainField {
    /// Offset of the field's first byte in the line (after the opening quote of a quoted field).
    var start: Int
    /// Offset just past the field's last byte (before the closing quote of a quoted field).
    var end: Int
    var isQuoted: Bool
    /// Whether the bytes hold `""` (each read as one `"`).
    var hasEscapedQuote: Bool

    /// The column of the field's first character (of its opening quote, when quoted), in a line whose first byte
    /// is at column `first`.
    func column(in line: UnsafeBufferPointer<UInt8>, lineStartsAt first: Int) -> Int {
        Self.column(of: isQuoted ? start - 1 : start, in: line, lineStartsAt: first)
    }

    /// The column of the byte at `offset` in a line of well-formed UTF-8 whose first byte is at column `first`:
    /// one for each scalar before it.
    static func column(of offset: Int, in line: UnsafeBufferPointer<UInt8>, lineStartsAt first: Int) -> Int {
        first + offset - SWAR.continuationBytes(in: UnsafeBufferPointer(rebasing: line[..<offset]))
    }

    /// The field's text, as `CSVField.text` holds it.
    func text(in line: UnsafeBufferPointer<UInt8>) -> String {
        let inside = UnsafeBufferPointer(rebasing: line[start..<end])
        guard hasEscapedQuote else { return String(decoding: inside, as: UTF8.self) }
        var bytes = Array(inside)
        CSVTokenizer.collapseEscapedQuotes(in: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What `CSVTokenizer.nextRow` read: a plain line taken by the caller's reader, or any other record.
enum CSVRow<Value> {
    case plain(Value)
    case record(CSVRecord)
}
