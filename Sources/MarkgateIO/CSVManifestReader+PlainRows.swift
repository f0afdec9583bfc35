#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MarkgateCore

extension CSVManifestReader {
    /// What `plainRow` made of a good row: added to the parcel being read, or the first row of another (a parcel
    /// of its own, holding the row's item).
    enum PlainOutcome {
        case added
        case starts(PendingParcel)
    }

    /// Reads a plain line (`CSVPlainField`) as `read(row:columns:)` reads a good row, from its bytes: a `String`
    /// only for the values a parcel keeps. A row of `current` (the parcel being read, this reader's alone) is
    /// added to it in place; a row of another parcel starts one, at `lineNumber` and `column` of `file`, which is
    /// returned. Returns nil, and adds nothing, for a row with anything to report or to decide by the slower path
    /// (a wrong number of fields, an empty id or description, a value that is not plainly good, a value whose
    /// ends are not ASCII); the caller then reads it as a record, which gives the same parcel or the error in its
    /// place.
    static func plainRow(_ line: UnsafeBufferPointer<UInt8>, _ fields: UnsafeBufferPointer<CSVPlainField>,
                         lineNumber: Int, column: Int, columns: PlainColumns, file: String,
                         current: PendingParcel?, codes: inout CodeTextMemo) -> PlainOutcome? {
        guard fields.count == columns.count else { return nil }
        // Most rows go on with the parcel before: its id is compared from the bytes, not made anew.
        let idField = fields[columns.parcelID]
        var sameParcel = false
        if let current, let bytes = asciiTrimmed(idField, line), equal(current.id, bytes) { sameParcel = true }
        var id = ""
        if !sameParcel {
            id = trimmedText(idField, line)
            guard !id.isEmpty else { return nil }
            if let current, current.id == id { sameParcel = true }
        }

        var lineNo = 0
        if columns.lineNo >= 0 {
            guard let bytes = asciiTrimmed(fields[columns.lineNo], line) else { return nil }
            if !bytes.isEmpty {
                guard let number = wholeNumber(bytes) else { return nil }
                lineNo = number
            }
        }
        var hsCode: String?
        if columns.hsCode >= 0 {
            guard let bytes = asciiTrimmed(fields[columns.hsCode], line) else { return nil }
            if !bytes.isEmpty {
                guard ManifestFields.isHSCode(bytes: bytes) else { return nil }
                // Digits: the memo keeps them as they are.
                hsCode = codes.upperCased(bytes) ?? String(decoding: bytes, as: UTF8.self)
            }
        }
        var quantity: Double?, unitPrice: Double?
        guard amount(columns.quantity, fields, line, into: &quantity),
              amount(columns.unitPrice, fields, line, into: &unitPrice) else { return nil }

        let descriptionField = fields[columns.description]
        let hasText = hasNonSpace(descriptionField, line)
        guard hasText != false else { return nil }
        let description = descriptionField.text(in: line)
        guard hasText ?? !ManifestFields.trimmed(description).isEmpty else { return nil }

        let currency = code(columns.currency, fields, line, &codes)
        let origin = code(columns.origin, fields, line, &codes)
        // Made in place, so that adding it moves it into the parcel's items.
        let item = ParcelItem(line: lineNo, description: description, hsCode: hsCode, quantity: quantity,
                              unitPrice: unitPrice, currency: currency, origin: origin)
        if sameParcel, let current {
            current.add(item)
            return .added
        }
        let parcel = PendingParcel(id: id, source: SourceLocation(file: file, line: lineNumber, column: column),
                                   consignor: party(columns.consignor, fields, line),
                                   consignee: party(columns.consignee, fields, line))
        parcel.add(item)
        return .starts(parcel)
    }

    /// A quantity or unit price at `position` (-1: no such column) into `value`, left nil when absent or empty;
    /// false when it is not plainly a finite number ≥ 0.
    private static func amount(_ position: Int, _ fields: UnsafeBufferPointer<CSVPlainField>,
                               _ line: UnsafeBufferPointer<UInt8>, into value: inout Double?) -> Bool {
        guard position >= 0 else { return true }
        guard let bytes = asciiTrimmed(fields[position], line) else { return false }
        guard !bytes.isEmpty else { return true }
        guard let number = ManifestFields.number(bytes: bytes), number.isFinite, number >= 0 else { return false }
        value = number
        return true
    }

    /// The currency or origin at `position` (-1: no such column), trimmed and upper-cased; nil when absent or
    /// empty. A short ASCII code is taken from `codes`, with no `String` made when it was read before.
    private static func code(_ position: Int, _ fields: UnsafeBufferPointer<CSVPlainField>,
                             _ line: UnsafeBufferPointer<UInt8>, _ codes: inout CodeTextMemo) -> String? {
        guard position >= 0 else { return nil }
        let field = fields[position]
        if let bytes = asciiTrimmed(field, line) {
            guard !bytes.isEmpty else { return nil }
            if let text = codes.upperCased(bytes) { return text }
        }
        let text = trimmedText(field, line)
        return text.isEmpty ? nil : uppercased(text)
    }

    /// The consignor or consignee at `position` (-1: no such column), trimmed; nil when absent or empty.
    private static func party(_ position: Int, _ fields: UnsafeBufferPointer<CSVPlainField>,
                              _ line: UnsafeBufferPointer<UInt8>) -> String? {
        guard position >= 0 else { return nil }
        let text = trimmedText(fields[position], line)
        return text.isEmpty ? nil : text
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
        // Read in place (`withUTF8` is mutating: it took a copy of the string, retained and released, each row).
        let same = text.utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return same ?? text.utf8.elementsEqual(bytes)
    }

    /// The field's bytes without ASCII white space at either end, or nil when that leaves a non-ASCII byte at
    /// an end (which may be white space: `trimmed` decides) or the field holds `""`.
    @inline(__always)
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
