import Foundation
import MarkgateCore

/// Reads a CSV parcel manifest (contract §2) as a stream of `ManifestRecord`s, in input order.
///
/// - The first non-blank row is the header. Column names are matched case-insensitively, with surrounding
///   spaces trimmed and inner spaces or hyphens read as `_` (`Parcel ID` is `parcel_id`); unknown columns are
///   ignored. `parcel_id` and `description` are required: without them (or when the header row itself is
///   broken, or names a column twice) the reader yields one error record with `parcel` nil and stops.
/// - Adjacent rows with the same `parcel_id` are the items of one parcel; consignor and consignee come from its
///   first row, `line_no` defaults to the row's position within the parcel. A parcel is yielded, as
///   `.parcel(p, source:)` with the position of its first row, once a row with another id (or the end of input)
///   shows it is complete.
/// - A row that cannot be read makes its parcel an `.error` record naming the first problem — tokenizer
///   problems first (unterminated quote, quote in an unquoted field, characters after a closing quote, invalid
///   UTF-8), then a wrong number of fields, then the first bad value from left to right (empty `parcel_id` or
///   `description`, `line_no` not a whole number from 1, `hs_code` not 6 to 10 digits, `quantity` or
///   `unit_price` not a finite number ≥ 0). Its `parcel` is the row's id when that could be read; a row without
///   an id is an error record of its own. Every other parcel still comes through.
/// - A `ColumnMap` renames columns: with `description=gname`, the file's `gname` column is read as `description`
///   (and a `description` column, if any, is ignored). A required column that is mapped but missing is reported
///   with the name it was mapped to.
/// - Blank rows (empty, or only commas and spaces) are skipped.
/// - Values are trimmed (the description is kept exactly as declared, since hit offsets point into it); empty
///   optional values are absent; currency and origin are upper-cased.
///
/// The reader is both the sequence and its iterator. One made from bytes is a value (each copy reads from the
/// start); one made from a path streams the file in 64 KiB chunks, and its copies share that stream.
public struct CSVManifestReader: Sequence, IteratorProtocol {
    public typealias Element = ManifestRecord

    /// The name used in source locations.
    public let file: String
    /// The renames applied to the header.
    public let columnMap: ColumnMap
    private var tokenizer: CSVTokenizer
    private var columns: ManifestColumns? {
        didSet { plainColumns = columns.map(PlainColumns.init) }
    }
    /// `columns` as `plainRow` reads them.
    private var plainColumns: PlainColumns?
    /// The codes plain rows have read (HS codes, currencies, origins), so that most take a `String` made before.
    private var codes = CodeTextMemo()
    private var finished = false
    var pending: PendingParcel?
    private var ready: [ManifestRecord] = []

    /// Opens a manifest file for streaming; throws only when the file cannot be opened.
    public init(path: String, columnMap: ColumnMap = ColumnMap()) throws(ManifestOpenError) {
        file = path
        self.columnMap = columnMap
        tokenizer = try CSVTokenizer(path: path)
    }

    /// Reads a manifest held in memory; `file` names it in source locations.
    public init(bytes: [UInt8], file: String, columnMap: ColumnMap = ColumnMap()) {
        self.file = file
        self.columnMap = columnMap
        tokenizer = CSVTokenizer(bytes: bytes)
    }

    /// Reads a manifest held in memory with every row read as a record (`plainLines` false): the reference that
    /// tests hold the plain-row path to.
    init(bytes: [UInt8], file: String, columnMap: ColumnMap = ColumnMap(), plainLines: Bool) {
        self.file = file
        self.columnMap = columnMap
        tokenizer = CSVTokenizer(bytes: bytes, plainLines: plainLines)
    }

    /// Reads a manifest from a stream of chunks (e.g. standard input, 64 KiB at a time); `chunks` returns nil at
    /// the end. `file` names it in source locations.
    public init(file: String, chunks: @escaping () -> [UInt8]?, columnMap: ColumnMap = ColumnMap()) {
        self.file = file
        self.columnMap = columnMap
        tokenizer = CSVTokenizer(chunks: chunks)
    }

    public mutating func next() -> ManifestRecord? {
        while true {
            if !ready.isEmpty {
                // Mostly one: taken from the end, with nothing to move down.
                return ready.count == 1 ? ready.removeLast() : ready.removeFirst()
            }
            if finished { return nil }
            guard let plainColumns else {
                readHeader()
                continue
            }
            // Made this reader's alone first, so a plain row may be added to it in place.
            let current = pending == nil ? nil : ownPending()
            let file = self.file
            // Moved out for the row and back (the closure may not touch `self` while the tokenizer reads).
            var codes = CodeTextMemo()
            swap(&codes, &self.codes)
            let row = tokenizer.nextRow { line, fields, lineNumber, column in
                Self.plainRow(line, fields, lineNumber: lineNumber, column: column, columns: plainColumns,
                              file: file, current: current, codes: &codes)
            }
            swap(&codes, &self.codes)
            // Consumed, so that each case takes its payload: copying or destroying the generic row goes through
            // its type's value witnesses.
            switch consume row {
            case nil:
                flushPending()
                finished = true
            case .plain(.added)?:
                break
            case .plain(.starts(let parcel))?:
                flushPending()
                pending = parcel
            case .record(let record)?:
                if record.isBlank { continue }
                read(row: record, columns: columns!)
            }
        }
    }
}

// MARK: - Header

extension CSVManifestReader {
    /// Indices of the contract's columns in a manifest's header.
    struct ManifestColumns {
        enum Name: String, CaseIterable {
            case parcelID = "parcel_id"
            case lineNo = "line_no"
            case description
            case hsCode = "hs_code"
            case quantity
            case unitPrice = "unit_price"
            case currency
            case origin
            case consignor
            case consignee

            /// The case's position in `allCases`.
            var ordinal: Int {
                switch self {
                case .parcelID: 0
                case .lineNo: 1
                case .description: 2
                case .hsCode: 3
                case .quantity: 4
                case .unitPrice: 5
                case .currency: 6
                case .origin: 7
                case .consignor: 8
                case .consignee: 9
                }
            }
        }

        var count: Int
        var index: [Name: Int] {
            didSet { positions = Name.allCases.map { index[$0] ?? -1 } }
        }
        /// The known columns in the order they appear in the file.
        var inFileOrder: [Name]
        /// `index` as an array in `Name.allCases` order (-1: absent): read for every field of every row, where
        /// a dictionary lookup would hash.
        private(set) var positions: [Int]

        init(count: Int, index: [Name: Int], inFileOrder: [Name]) {
            self.count = count
            self.index = index
            self.inFileOrder = inFileOrder
            positions = Name.allCases.map { index[$0] ?? -1 }
        }

        /// The field position of a column, or nil when the header lacks it.
        @inline(__always)
        func position(of name: Name) -> Int? {
            let position = positions[name.ordinal]
            return position < 0 ? nil : position
        }
    }
}

extension CSVManifestReader {
    private mutating func readHeader() {
        var header: CSVRecord?
        while let record = tokenizer.next() {
            if record.isBlank { continue }
            header = record
            break
        }
        guard let header else {
            fail(line: 1, column: 1, "no header row; expected a row naming the columns parcel_id, description, …")
            return
        }
        if let problem = header.problems.first {
            fail(line: problem.line, column: problem.column, problem.message + " (in the header row)")
            return
        }
        var index: [ManifestColumns.Name: Int] = [:]
        var order: [ManifestColumns.Name] = []
        for (position, field) in header.fields.enumerated() {
            let key = Self.columnKey(field.text)
            guard let contractName = columnMap.contractColumn(forKey: key),
                  let name = ManifestColumns.Name(rawValue: contractName) else { continue }
            if index[name] != nil {
                let read = contractName == key ? "" : " (read as \(contractName))"
                fail(line: field.line, column: field.column, "column \(key)\(read) named twice in the header row")
                return
            }
            index[name] = position
            order.append(name)
        }
        let missing = [ManifestColumns.Name.parcelID, .description].filter { index[$0] == nil }.map { name in
            columnMap.renames[name.rawValue].map { "\(name.rawValue) (mapped to \($0))" } ?? name.rawValue
        }
        guard missing.isEmpty else {
            let noun = missing.count == 1 ? "column" : "columns"
            fail(line: header.line, column: header.column,
                 "missing required \(noun) \(missing.joined(separator: ", ")) in the header row")
            return
        }
        columns = ManifestColumns(count: header.fields.count, index: index, inFileOrder: order)
    }

    /// `" Unit Price "` → `unit_price`.
    static func columnKey(_ name: String) -> String {
        var key = ""
        var pendingSeparator = false
        for scalar in ManifestFields.trimmed(name).lowercased().unicodeScalars {
            if scalar == " " || scalar == "-" || scalar == "_" || scalar == "\t" {
                pendingSeparator = true
                continue
            }
            if pendingSeparator && !key.isEmpty { key.append("_") }
            pendingSeparator = false
            key.unicodeScalars.append(scalar)
        }
        return key
    }

    /// Yields one error record with no parcel and stops.
    private mutating func fail(line: Int, column: Int, _ message: String) {
        ready.append(.error(RecordError(parcel: nil, location: location(line, column), message: message)))
        finished = true
    }

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}

// MARK: - Rows and parcels

extension CSVManifestReader {
    /// The parcel whose rows are being read: a class, so that reading its id or adding a row to it (for every
    /// row) copies nothing.
    final class PendingParcel {
        let id: String
        let source: SourceLocation
        let consignor: String?
        let consignee: String?
        /// Not checked for overlapping accesses at run time: only this class's methods touch it, one at a time,
        /// and it is appended to for every row.
        @exclusivity(unchecked) var items: [ParcelItem] = []
        var rows = 0
        private(set) var error: RecordError?
        /// Whether `error` is set: read for every row, where testing the optional would copy the error.
        private var failed = false

        init(id: String, source: SourceLocation, consignor: String?, consignee: String?) {
            self.id = id
            self.source = source
            self.consignor = consignor
            self.consignee = consignee
            items.reserveCapacity(4)
        }

        /// A parcel of its own with the same rows so far.
        func copy() -> PendingParcel {
            let copy = PendingParcel(id: id, source: source, consignor: consignor, consignee: consignee)
            copy.items = items
            copy.rows = rows
            copy.error = error
            copy.failed = failed
            return copy
        }

        /// Counts a row that cannot be read; the parcel is then its first such row's error.
        func fail(_ problem: RecordError) {
            rows += 1
            if !failed {
                error = problem
                failed = true
            }
        }

        /// Counts a good row and keeps its item (numbered by its row when `line` is 0), unless a row before failed.
        @inline(__always)
        func add(_ item: consuming ParcelItem) {
            rows += 1
            guard !failed else { return }
            if item.line == 0 { item.line = rows }
            items.append(item)
        }
    }
}

extension CSVManifestReader {
    private mutating func read(row record: CSVRecord, columns: ManifestColumns) {
        let fields = record.fields
        func raw(_ name: ManifestColumns.Name) -> CSVField? {
            guard let index = columns.position(of: name), index < fields.count else { return nil }
            return fields[index]
        }
        func value(_ name: ManifestColumns.Name) -> String? {
            guard let field = raw(name) else { return nil }
            let text = ManifestFields.trimmed(field.text)
            return text.isEmpty ? nil : text
        }

        let id = value(.parcelID)
        var problem: RecordError?
        func report(_ line: Int, _ column: Int, _ message: String) {
            if problem == nil {
                problem = RecordError(parcel: id, location: location(line, column), message: message)
            }
        }

        if let first = record.problems.first {
            report(first.line, first.column, first.message)
        }
        if fields.count != columns.count {
            let extra = fields.count > columns.count ? fields[columns.count] : nil
            report(extra?.line ?? record.endLine, extra?.column ?? record.endColumn,
                   "expected \(columns.count) fields, found \(fields.count)")
        }

        var item = ParcelItem(line: 0, description: "")   // 0: numbered by its row when added
        if problem == nil {
            for name in columns.inFileOrder {
                let field = raw(name)!
                let text = ManifestFields.trimmed(field.text)
                func bad(_ expected: String) {
                    report(field.line, field.column, "bad \(name.rawValue) \"\(text)\": expected \(expected)")
                }
                switch name {
                case .parcelID:
                    if text.isEmpty { report(field.line, field.column, "empty parcel_id") }
                case .description:
                    if text.isEmpty { report(field.line, field.column, "empty description") }
                    item.description = field.text
                case .lineNo:
                    guard !text.isEmpty else { break }
                    if let number = Int(text), number >= 1 { item.line = number } else { bad("a whole number from 1") }
                case .hsCode:
                    guard !text.isEmpty else { break }
                    if ManifestFields.isHSCode(text) {
                        item.hsCode = text
                    } else {
                        bad("6 to 10 digits")
                    }
                case .quantity, .unitPrice:
                    guard !text.isEmpty else { break }
                    guard let number = ManifestFields.number(text), number.isFinite, number >= 0 else {
                        bad("a number ≥ 0")
                        break
                    }
                    if name == .quantity { item.quantity = number } else { item.unitPrice = number }
                case .currency:
                    item.currency = text.isEmpty ? nil : Self.uppercased(text)
                case .origin:
                    item.origin = text.isEmpty ? nil : Self.uppercased(text)
                case .consignor, .consignee:
                    break
                }
            }
        }

        guard let id else {
            // No id: this row is a record of its own, and it ends the parcel before it.
            flushPending()
            ready.append(.error(problem ?? RecordError(parcel: nil, location: location(record.line, record.column),
                                                       message: "empty parcel_id")))
            return
        }
        if pending?.id != id {
            flushPending()
            pending = PendingParcel(id: id, source: location(record.line, record.column),
                                    consignor: value(.consignor), consignee: value(.consignee))
        }
        if let problem {
            ownPending().fail(problem)
        } else {
            ownPending().add(item)
        }
    }

    /// `pending` (there must be one), copied first when a copy of this reader shares it: so copies of a reader
    /// still read independently.
    mutating func ownPending() -> PendingParcel {
        if !isKnownUniquelyReferenced(&pending) { pending = pending!.copy() }
        return pending!
    }

    mutating func flushPending() {
        guard let parcel = pending else { return }
        pending = nil
        if let error = parcel.error {
            ready.append(.error(error))
        } else {
            ready.append(.parcel(Parcel(id: parcel.id, consignor: parcel.consignor, consignee: parcel.consignee,
                                        items: parcel.items), source: parcel.source))
        }
    }

    /// `text` in upper case; codes already written so (`USD`, `CN`) are returned as they are, without a copy.
    static func uppercased(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 && !(0x61...0x7A).contains($0) } ? text : text.uppercased()
    }

}
