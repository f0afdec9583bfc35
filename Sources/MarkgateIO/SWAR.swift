/// Byte tests eight at a time in a `UInt64` (SIMD within a register), for scans that run over every byte read.
enum SWAR {
    /// The high bit of every byte.
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// `byte` in each of the eight bytes.
    @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// The high bit set in the lowest zero byte of `word`, and maybe in bytes above it (a borrow runs on past a
    /// zero byte); zero when no byte is zero. So it is nonzero exactly when a byte is zero, and its lowest set
    /// bit marks the first.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        bytes(below: 1, in: word)
    }

    /// The high bit set in the lowest byte of `word` below `limit` (at most 0x80), and maybe in bytes above it (a
    /// borrow runs on); zero when no byte is below `limit`.
    @inline(__always)
    static func bytes(below limit: UInt8, in word: UInt64) -> UInt64 {
        (word &- repeated(limit)) & ~word & highBits
    }

    /// The index of the first `a` or `b` in `bytes` from `start`, or `bytes.count` when there is none.
    @inline(__always)
    static func firstIndex(of a: UInt8, or b: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let end = bytes.count
        var index = start
        let first = repeated(a), second = repeated(b)
        while index + 8 <= end {
            // Loaded little-endian: the first byte is the lowest.
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let found = zeroBytes(word ^ first) | zeroBytes(word ^ second)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end && base[index] != a && base[index] != b { index += 1 }
        return index
    }

    /// How many bytes of `bytes` are UTF-8 continuation bytes (0x80...0xBF).
    static func continuationBytes(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0, index = 0
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // Bit 7 set and bit 6 clear: bit 6, shifted up into bit 7 of the same byte, is masked out.
            count += (word & ~(word << 1) & highBits).nonzeroBitCount
            index += 8
        }
        while index < bytes.count {
            if base[index] & 0xC0 == 0x80 { count += 1 }
            index += 1
        }
        return count
    }
}
