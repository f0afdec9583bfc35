#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MarkgateCore

extension CSVManifestReader {
    /// What `plainRow` made of a good row: added to the parcel being read, or the first row of another.
    enum PlainOutcome {
        case added
        case starts(PlainRow)
    }

    /// A row read from a plain line's bytes that starts a parcel, with nothing wrong in it: its parcel id, its
    /// item (`line` 0 when the row gives none), where it starts, its consignor and consignee.
    struct PlainRow {
        var id: String
        var item: ParcelItem
        var consignor: String?
        var consignee: String?
        var line: Int
        var column: Int
    }

    /// Reads a plain line (`CSVPlainField`) as `read(row:columns:)` reads a good row, from its bytes: a `String`
    /// only for the values a parcel keeps. A row of `current` (the parcel being read, this reader's alone) is
    /// added to it in place; a row of another parcel is returned. Returns nil, and adds nothing, for a row with
    /// anything to report or to decide by the slower path (a wrong number of fields, an empty id or description,
    /// a value that is not plainly good, a value whose ends are not ASCII); the caller then reads it as a record,
    /// which gives the same parcel or the error in its place.
    static func plainRow(_ line: UnsafeBufferPointer<UInt8>, _ fields: UnsafeBufferPointer<CSVPlainField>,
                         lineNumber: Int, column: Int, columns: ManifestColumns,
                         current: PendingParcel?) -> PlainOutcome? {
        guard fields.count == columns.count else { return nil }
        var item = ParcelItem(line: 0, description: "")
        var id = ""
        for name in columns.inFileOrder {
            let field = fields[columns.position(of: name)!]
            switch name {
            case .parcelID:
                // Most rows go on with the parcel before: its id is taken again, not made anew.
                if let current, let bytes = asciiTrimmed(field, line), equal(current.id, bytes) {
                    id = current.id
                } else {
                    id = trimmedText(field, line)
                }
                guard !id.isEmpty else { return nil }
            case .description:
                let text = field.text(in: line)
                guard hasNonSpace(field, line) ?? !ManifestFields.trimmed(text).isEmpty else { return nil }
                item.description = text
            case .lineNo:
                guard let bytes = asciiTrimmed(field, line) else { return nil }
                guard !bytes.isEmpty else { break }
                guard let number = wholeNumber(bytes) else { return nil }
                item.line = number
            case .hsCode:
                guard let bytes = asciiTrimmed(field, line) else { return nil }
                guard !bytes.isEmpty else { break }
                guard ManifestFields.isHSCode(bytes: bytes) else { return nil }
                item.hsCode = String(decoding: bytes, as: UTF8.self)
            case .quantity, .unitPrice:
                guard let bytes = asciiTrimmed(field, line) else { return nil }
                guard !bytes.isEmpty else { break }
                guard let number = ManifestFields.number(bytes: bytes), number.isFinite, number >= 0 else {
                    return nil
                }
                if name == .quantity { item.quantity = number } else { item.unitPrice = number }
            case .currency:
                let text = trimmedText(field, line)
                item.currency = text.isEmpty ? nil : uppercased(text)
            case .origin:
                let text = trimmedText(field, line)
                item.origin = text.isEmpty ? nil : uppercased(text)
            case .consignor, .consignee:
                break
            }
        }
        if let current, current.id == id {
            current.add(item)
            return .added
        }
        func party(_ name: ManifestColumns.Name) -> String? {
            guard let position = columns.position(of: name) else { return nil }
            let text = trimmedText(fields[position], line)
            return text.isEmpty ? nil : text
        }
        return .starts(PlainRow(id: id, item: item, consignor: party(.consignor), consignee: party(.consignee),
                                line: lineNumber, column: column))
    }

    /// Starts the parcel of a plain row, as `read(row:columns:)` starts one on a good row.
    mutating func start(_ row: PlainRow) {
        flushPending()
        let parcel = PendingParcel(id: row.id, source: SourceLocation(file: file, line: row.line, column: row.column),
                                   consignor: row.consignor, consignee: row.consignee)
        parcel.add(row.item)
        pending = parcel
    }

    /// Whether the field holds a character that is not white space: nil when that takes the `String` (a
    /// non-ASCII white space character first).
    private static func hasNonSpace(_ field: CSVPlainField, _ line: UnsafeBufferPointer<UInt8>) -> Bool? {
        var index = field.start
        while index < field.end && XMLValueBytes.isASCIISpace(line[index]) { index += 1 }
        guard index < field.end else { return false }
        let lead = line[index]
        guard lead >= 0x80 else { return true }
        // The scalar this well-formed sequence encodes.
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var scalar = UInt32(lead) & (0x7F >> length)
        for offset in 1..<length { scalar = scalar << 6 | UInt32(line[index + offset] & 0x3F) }
        return XMLValueBytes.isSpace(scalar) ? nil : true
    }

    /// Whether `text`'s UTF-8 bytes are `bytes`.
    private static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }

    /// The field's bytes without ASCII white space at either end, or nil when that leaves a non-ASCII byte at
    /// an end (which may be white space: `trimmed` decides) or the field holds `""`.
    private static func asciiTrimmed(_ field: CSVPlainField, _ line: UnsafeBufferPointer<UInt8>)
        -> UnsafeBufferPointer<UInt8>? {
        guard !field.hasEscapedQuote else { return nil }
        var start = field.start, end = field.end
        while start < end && XMLValueBytes.isASCIISpace(line[start]) { start += 1 }
        while end > start && XMLValueBytes.isASCIISpace(line[end - 1]) { end -= 1 }
        if start < end && (line[start] >= 0x80 || line[end - 1] >= 0x80) { return nil }
        return UnsafeBufferPointer(rebasing: line[start..<end])
    }

    /// `ManifestFields.trimmed` of the field's text, from the bytes when their ends are ASCII.
    private static func trimmedText(_ field: CSVPlainField, _ line: UnsafeBufferPointer<UInt8>) -> String {
        if let bytes = asciiTrimmed(field, line) { return String(decoding: bytes, as: UTF8.self) }
        return ManifestFields.trimmed(field.text(in: line))
    }

    /// A `line_no` of 1 to 18 ASCII digits and at least 1 (what `Int(text)` reads the same); nil otherwise, for
    /// the record path to judge.
    private static func wholeNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard (1...18).contains(bytes.count) else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value >= 1 ? value : nil
    }
}
