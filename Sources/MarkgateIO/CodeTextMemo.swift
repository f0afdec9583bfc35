/// Strings made for short ASCII codes (HS codes, currencies, origins), kept by their bytes: a code read again
/// takes the `String` made before, where making one validates and copies the bytes each time.
///
/// Direct-mapped: each code has one slot, found by a hash of its bytes, so a lookup is one compare and two codes
/// that share a slot take turns in it. Codes are upper-cased (ASCII letters only), as a manifest reader keeps
/// currencies and origins; digits and other ASCII bytes are their own upper case, so an HS code is kept as read.
/// The slots are made on first use; a copy shares them until either copy stores a code.
struct CodeTextMemo {
    /// The longest code kept: a `String` of more bytes is not small (held inline) anyway.
    static let maxLength = 15
    private static let slotCount = 256

    /// A code's bytes packed in two words, bytes 0-7 in `low` and 8-14 in `high` (lowest first), with the length
    /// in `high`'s top byte: no two codes share a key, and no code has the empty slot's key.
    private struct Slot {
        var low: UInt64
        var high: UInt64
        var text: String
    }

    private var slots: [Slot] = []

    /// `bytes` upper-cased (a-z read as A-Z) as a `String`, the one made before when this code was seen already;
    /// nil, with nothing made, when `bytes` are empty, longer than `maxLength` or not all ASCII.
    mutating func upperCased(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let count = bytes.count
        guard count > 0 && count <= Self.maxLength else { return nil }
        var low: UInt64 = 0, high = UInt64(count) << 56
        var all: UInt8 = 0
        for index in 0..<Swift.min(count, 8) {
            let byte = bytes[index]
            all |= byte
            low |= UInt64(Self.upperCased(byte)) &<< (index &* 8)
        }
        for index in Swift.min(count, 8)..<count {
            let byte = bytes[index]
            all |= byte
            high |= UInt64(Self.upperCased(byte)) &<< ((index &- 8) &* 8)
        }
        guard all < 0x80 else { return nil }
        if slots.isEmpty {
            slots = Array(repeating: Slot(low: 0, high: .max, text: ""), count: Self.slotCount)
        }
        // The top eight bits of a multiplicative hash: one of the 256 slots.
        let mixed = (low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        let slot = Int(truncatingIfNeeded: mixed >> 56)
        if slots[slot].low == low && slots[slot].high == high { return slots[slot].text }
        let text = withUnsafeBytes(of: (low.littleEndian, high.littleEndian)) { packed in
            String(decoding: UnsafeRawBufferPointer(rebasing: packed[..<count]).bindMemory(to: UInt8.self),
                   as: UTF8.self)
        }
        slots[slot] = Slot(low: low, high: high, text: text)
        return text
    }

    /// An ASCII letter a-z as A-Z; any other byte as it is.
    @inline(__always)
    private static func upperCased(_ byte: UInt8) -> UInt8 {
        byte &- 0x61 < 26 ? byte &- 0x20 : byte
    }
}
