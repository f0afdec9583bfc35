import MarkgateCore

/// The parcel being read: its fields as they come, then its record.
///
/// The text of the fields read is kept as UTF-8 bytes in one buffer, `text`, which the parse state's
/// `characters` callback appends to while a field (or a generic item) is read: the head's fields for the whole
/// parcel, an item's only until the item is mapped (`XMLParcelBuilder+Items.swift`). Fields are byte ranges of it
/// (`XMLFieldValues`): numbers, HS codes and customs codes are read from the bytes, and a `String` is made only
/// for the values a `Parcel` holds as text. One builder serves every parcel of a document: `begin` starts the
/// next one and keeps the buffers.
struct XMLParcelBuilder {
    /// The kind of the parcel's child element being read.
    enum Section { case none, head, item, other }

    private(set) var format = XMLManifestFormat.generic
    /// Position of the parcel's start tag.
    private(set) var start = XMLTextPosition(line: 1, column: 1)
    /// The parcel element's attributes (generic format).
    private var attributes = XMLGenericAttributes()
    /// UTF-8 text of the head's fields, then of the item being read.
    var text = XMLTextBytes()
    var head = XMLFieldValues()
    var itemFields = XMLFieldValues()
    var items: [ParcelItem] = []
    private var itemCount = 0
    private var section = Section.none
    /// The item element being read: its position, its number in the parcel, its attributes (generic format),
    /// where its text begins in `text`.
    var itemPosition = XMLTextPosition(line: 1, column: 1)
    var itemOrdinal = 0
    var itemAttributes = XMLGenericAttributes()
    var itemTextStart = 0
    /// The CEB field element being read (a child of a head or item element), and where its text begins.
    private var field: (name: XMLField, position: XMLTextPosition, textStart: Int)?
    private(set) var problem: (position: XMLTextPosition, message: String)?

    /// Starts the next parcel.
    mutating func begin(format: XMLManifestFormat, start: XMLTextPosition, attributes: XMLGenericAttributes) {
        self.format = format
        self.start = start
        self.attributes = attributes
        text.removeAll()
        head.removeAll()
        itemFields.removeAll()
        items = []
        itemCount = 0
        section = .none
        itemAttributes = XMLGenericAttributes()
        field = nil
        problem = nil
    }

    /// The parcel id, once read.
    var id: String? {
        if format == .generic { return attribute(.id) }
        for name in format.idFields {
            if let id = headValue(name) { return id }
        }
        return nil
    }

    /// Records a problem; the first one stands for the parcel.
    mutating func fail(at position: XMLTextPosition, _ message: String) {
        if problem == nil { problem = (position, message) }
    }

    /// Starts a child of the parcel element (depth 2); `attributes` are an item's in the generic format.
    mutating func startSection(_ kind: Section, at position: XMLTextPosition, attributes: XMLGenericAttributes) {
        section = kind
        if kind == .item {
            itemCount += 1
            itemPosition = position
            itemOrdinal = itemCount
            itemAttributes = attributes
            itemTextStart = text.count
            itemFields.removeAll()
        }
    }

    /// Starts a CEB field element (depth 3, in a head or an item); its text is what `text` gets until
    /// `endField`.
    mutating func startField(_ name: XMLField, at position: XMLTextPosition) {
        field = (name, position, text.count)
    }

    /// Ends the CEB field element being read.
    mutating func endField() {
        guard let done = field else { return }
        field = nil
        let value = XMLFieldValues.Value(start: done.textStart, end: text.count, position: done.position)
        let stored: Bool
        switch section {
        case .head: stored = head.store(done.name, value)
        case .item: stored = itemFields.store(done.name, value)
        case .none, .other: stored = true
        }
        if !stored {
            fail(at: done.position, "\(done.name.rawValue) given twice")
            text.removeSuffix(from: done.textStart)
        }
    }

    /// Ends a child of the parcel element: an item is mapped (a generic item's text is its description), and
    /// its text dropped.
    mutating func endSection() {
        if section == .item {
            if format == .generic {
                finishGenericItem()
                itemAttributes = XMLGenericAttributes()
            } else {
                finishCEBItem()
            }
            text.removeSuffix(from: itemTextStart)
        }
        section = .none
    }

    /// The parcel, or the error record standing for it.
    mutating func record(file: String) -> ManifestRecord {
        let id = self.id
        if id == nil {
            fail(at: start, format.missingIDMessage)
        } else if items.isEmpty {
            fail(at: start, "\(format.parcelElement) without \(format.itemElement)")
        }
        if let problem {
            return .error(RecordError(parcel: id, location: SourceLocation(file: file, line: problem.position.line,
                                                                           column: problem.position.column),
                                      message: problem.message))
        }
        let consignor = format == .generic ? attribute(.consignor) : headValue(.ebcName)
        var consignee = format == .generic ? attribute(.consignee) : nil
        for name in format.consigneeFields where consignee == nil { consignee = headValue(name) }
        return .parcel(Parcel(id: id!, consignor: consignor, consignee: consignee, items: items),
                       source: SourceLocation(file: file, line: start.line, column: start.column))
    }

    // MARK: Values

    /// A head field's text, trimmed; nil when absent or empty.
    func headValue(_ name: XMLField) -> String? {
        guard let value = head[name] else { return nil }
        let trimmed = XMLValueBytes.trimmed(UnsafeBufferPointer(rebasing: text.bytes[value.start..<value.end]))
        return trimmed.isEmpty ? nil : String(decoding: trimmed, as: UTF8.self)
    }

    /// A parcel attribute (generic format), trimmed; nil when absent or empty.
    func attribute(_ name: XMLGenericAttributes.Name) -> String? {
        guard let text = attributes[name].map(ManifestFields.trimmed), !text.isEmpty else { return nil }
        return text
    }

    static func lineNumber(_ text: String) -> Int? {
        guard let number = Int(text), number >= 1 else { return nil }
        return number
    }

    static func number(_ text: String) -> Double? {
        guard let number = ManifestFields.number(text), number.isFinite, number >= 0 else { return nil }
        return number
    }
}
