/// The fields of one head or item element: where each one's text lies in the parcel's text bytes
/// (`XMLParcelBuilder.text`), and the position of its start tag.
///
/// One slot per `XMLField` and a bit per field stored, so that a look-up is an index and `removeAll` only clears
/// the bits. The slots are allocated once, for every element read with them: copies of a value share them, so
/// keep one (the parcel builder keeps one for the head and one for the items, in place).
struct XMLFieldValues {
    struct Value {
        /// The text's bytes, `start..<end` of the parcel's text.
        var start: Int
        var end: Int
        var position: XMLTextPosition
    }

    /// Owns the slots (a class, so that they are freed with the last copy).
    private final class Slots {
        let values: UnsafeMutablePointer<Value>

        init() {
            values = UnsafeMutablePointer<Value>.allocate(capacity: Self.count)
            values.initialize(repeating: Value(start: 0, end: 0, position: XMLTextPosition(line: 1, column: 1)),
                              count: Self.count)
        }

        deinit {
            values.deinitialize(count: Self.count)
            values.deallocate()
        }

        /// One slot per field (`XMLField.index` is below it).
        static let count = 17
    }

    private let owner = Slots()
    /// The owner's slots, read without going through the class.
    private let values: UnsafeMutablePointer<Value>
    /// The fields stored, one bit each (`XMLField.bit`).
    private var stored: UInt32 = 0

    init() {
        values = owner.values
    }

    subscript(field: XMLField) -> Value? {
        stored & field.bit != 0 ? values[field.index] : nil
    }

    /// Stores a value; false when the field was given already (the first value stays).
    @inline(__always)
    mutating func store(_ field: XMLField, _ value: Value) -> Bool {
        guard stored & field.bit == 0 else { return false }
        stored |= field.bit
        values[field.index] = value
        return true
    }

    /// Forgets every value.
    mutating func removeAll() {
        stored = 0
    }
}
