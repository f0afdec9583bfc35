/// A parcel's normalized text, every item's as ` text \n`, for the parcel-wide search of context words.
///
/// Kept as UTF-8 bytes, so that screening makes no string per item: the bytes are those of the string
/// `" " + normalized.string + " \n"` joined over the items (normalized text is valid UTF-8). Word searches
/// that need characters (CJK context words) make the string then, and only then.
struct ParcelText {
    private(set) var bytes: [UInt8] = []

    /// Appends one item's normalized bytes, with a space before and ` \n` after.
    ///
    /// Room is made ahead, at least 256 bytes and then twice what is needed, so that the first item does not
    /// grow the array by steps and a parcel of a few items allocates once.
    mutating func append(_ normalized: [UInt8]) {
        let needed = bytes.count + normalized.count + 3
        if bytes.capacity < needed { bytes.reserveCapacity(max(256, 2 * needed)) }
        bytes.append(0x20)
        bytes.append(contentsOf: normalized)
        bytes.append(0x20)
        bytes.append(0x0A)
    }

    /// The text as a string.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}
