import CLibXML2

/// The `XMLField` each element local name names, remembered by the name's address.
///
/// libxml2 hands every element name from its parser's dictionary, one copy of each name for the parser's life,
/// so a name met again is known by its address without comparing its bytes (most elements of a CEB message
/// are fields, read or not, of a few dozen names). Keep one per parser: addresses mean nothing to another.
/// Copies of a value share its table.
struct XMLFieldNames {
    private struct Entry {
        var name: UnsafePointer<xmlChar>?
        var field: XMLField?
    }

    /// Owns the table (a class, so that it is freed with the last copy).
    private final class Table {
        let entries: UnsafeMutablePointer<Entry>

        init() {
            entries = UnsafeMutablePointer<Entry>.allocate(capacity: XMLFieldNames.slots)
            entries.initialize(repeating: Entry(name: nil, field: nil), count: XMLFieldNames.slots)
        }

        deinit {
            entries.deinitialize(count: XMLFieldNames.slots)
            entries.deallocate()
        }
    }

    /// Slots of the table, indexed by a hash of the address (a name landing on a slot taken is compared again).
    private static let slots = 256
    private let table = Table()
    /// The table's entries, read without going through the class.
    private let entries: UnsafeMutablePointer<Entry>

    init() {
        entries = table.entries
    }

    /// The field `name` (a libxml2 local name) names, or nil.
    @inline(__always)
    func field(_ name: UnsafePointer<xmlChar>) -> XMLField? {
        // Fibonacci hashing: the top 8 bits of the address times 2^64 / φ.
        let slot = Int(truncatingIfNeeded: (UInt(bitPattern: name) &* 0x9E37_79B9_7F4A_7C15) >> 56)
        if entries[slot].name == name { return entries[slot].field }
        return remember(name, at: slot)
    }

    /// Compares a name not in the table and keeps it at `slot`.
    @inline(never)
    private func remember(_ name: UnsafePointer<xmlChar>, at slot: Int) -> XMLField? {
        let field = XMLField(localName: name)
        entries[slot] = Entry(name: name, field: field)
        return field
    }
}
