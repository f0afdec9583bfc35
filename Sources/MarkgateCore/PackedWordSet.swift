/// A set of short byte strings (1 to 8 bytes, no zero byte), each packed into one `UInt64`: a lookup packs the
/// query and compares it with a slot or two, one memory access where `Lexicon.WordTable` makes three.
///
/// For the screener's hottest word question (is this token an English word?), asked of nearly every token of
/// every description; longer words stay with `Lexicon.WordTable`.
struct PackedWordSet: Sendable {
    /// Open addressing, by the top bits of the packed word times the golden ratio; 0 marks an empty slot (no word
    /// packs to 0: words have at least one byte and no zero bytes).
    private let slots: [UInt64]
    private let shift: UInt64

    /// The longest word the set holds.
    static let maxLength = 8

    /// The words of `lines` (one a line) that pack: 1 to 8 bytes, no zero byte; longer ones are left out.
    init(lines: String) {
        var packed: [UInt64] = []
        var lines = lines
        lines.withUTF8 { bytes in
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "\n") {
                if let key = Self.pack(UnsafeBufferPointer(rebasing: bytes[start..<end])) { packed.append(key) }
                start = end + 1
            }
        }
        var log = 4
        while 1 << log < 2 * packed.count { log += 1 }
        shift = UInt64(64 - log)
        var slots = [UInt64](repeating: 0, count: 1 << log)
        for key in packed {
            var slot = Self.slot(key, shift)
            while slots[slot] != 0 && slots[slot] != key { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = key
        }
        self.slots = slots
    }

    /// `bytes` packed into a `UInt64`, first byte lowest; nil when it has no bytes, more than 8, or a zero byte.
    @inline(__always)
    static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= maxLength else { return nil }
        var key: UInt64 = 0
        var index = bytes.count - 1
        while index >= 0 {
            guard bytes[index] != 0 else { return nil }
            key = key << 8 | UInt64(bytes[index])
            index -= 1
        }
        return key
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// Whether `word` is in the set (false for anything that does not pack).
    @inline(__always)
    func contains(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let key = Self.pack(word) else { return false }
        return slots.withUnsafeBufferPointer { slots in
            var slot = Self.slot(key, shift)
            while true {
                let stored = slots[slot]
                if stored == key { return true }
                if stored == 0 { return false }
                slot = (slot + 1) & (slots.count - 1)
            }
        }
    }
}
