import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4) in Swift, on the x86 SHA extensions where the CPU has them (`CSHA256`), for fingerprinting
/// registers and rule sets (`"register": "sha256:…"`) and the case book's hash chains.
///
/// ```swift
/// SHA256.hex(SHA256.hash("abc".utf8))   // "ba7816bf…"
/// SHA256.hexDigest("abc".utf8)          // the same
/// var hasher = SHA256.Hasher()
/// hasher.update(chunk1); hasher.update(chunk2)
/// let digest = hasher.finalize()  // 32 bytes
/// ```
public enum SHA256 {
    /// Digest length in bytes.
    public static let digestCount = 32

    /// Whether blocks are compressed with the CPU's SHA extensions (x86 SHA-NI, about 5× the Swift code's rate);
    /// `MARKGATE_SHA256_PORTABLE=1` in the environment turns them off.
    public static let accelerated = markgate_sha256_accelerated() != 0
        && getenv("MARKGATE_SHA256_PORTABLE") == nil

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { Hasher.oneShot($0) }
    }

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        // Contiguous bytes are hashed in one pass, with no buffer for a partial block: what makes the many
        // short hashes of the case book's chains cheap.
        if let digest = bytes.withContiguousStorageIfAvailable({ Hasher.oneShot($0) }) { return digest }
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Writes the 32-byte digest of `bytes` to `digest` (at least 32 bytes), allocating nothing: for the many short
    /// hashes of the case book's chains.
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>, into digest: UnsafeMutableBufferPointer<UInt8>) {
        precondition(digest.count >= digestCount, "a SHA-256 digest needs 32 bytes")
        Hasher.oneShot(bytes, into: digest)
    }

    /// Writes the lower-case hex digits of `bytes` to `out` (two per byte; at least `2 * bytes.count` long).
    public static func hex(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) {
        precondition(out.count >= 2 * bytes.count, "hex digits need two bytes a byte")
        for (index, byte) in bytes.enumerated() {
            out[2 * index] = hexDigit(byte >> 4)
            out[2 * index + 1] = hexDigit(byte & 0x0F)
        }
    }

    /// The digest of `bytes` computed by the Swift code alone, whatever the CPU (to test the two paths agree).
    static func portableHash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { Hasher.oneShot($0, portable: true) }
    }

    /// The digest of `bytes` as 64 lower-case hex digits: `hex(hash(bytes))`.
    public static func hexDigest(_ bytes: some Sequence<UInt8>) -> String {
        hex(hash(bytes))
    }

    /// Lower-case hex digits of `bytes` (two per byte), e.g. of a digest: `SHA256.hex(SHA256.hash(data))`.
    public static func hex(_ bytes: [UInt8]) -> String {
        // The concrete form (a generic one called from another module runs unspecialized, through witnesses).
        bytes.withUnsafeBufferPointer { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                hex(bytes, into: out)
                return bytes.count * 2
            }
        }
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Lower-case hex digits of `bytes` (two per byte).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        hexDigits.withUnsafeBufferPointer { digits in
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Incremental SHA-256: feed bytes with `update`, then read the digest with `finalize` (which leaves the
    /// hasher as it was, so more bytes may follow for a digest of the longer input).
    public struct Hasher: Sendable {
        private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
        )
        /// Bytes not yet making a whole 64-byte block.
        private var block: [UInt8] = []
        /// Total bytes fed so far.
        private var length: UInt64 = 0
        /// Whether to keep to the Swift code even where the CPU has SHA extensions.
        private var portable = false

        public init() {
            block.reserveCapacity(64)
        }

        public mutating func update(_ bytes: some Sequence<UInt8>) {
            let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                update(buffer)
            }
            if handled == nil {
                update(Array(bytes))
            }
        }

        private mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { update($0) }
        }

        private mutating func update(_ buffer: UnsafeBufferPointer<UInt8>) {
            length &+= UInt64(buffer.count)
            var offset = 0
            if !block.isEmpty {
                let take = min(64 - block.count, buffer.count)
                block.append(contentsOf: buffer[0..<take])
                offset = take
                guard block.count == 64 else { return }
                block.withUnsafeBufferPointer { compress($0.baseAddress!, blocks: 1) }
                block.removeAll(keepingCapacity: true)
            }
            if buffer.count - offset >= 64 {
                let blocks = (buffer.count - offset) / 64
                compress(buffer.baseAddress! + offset, blocks: blocks)
                offset += 64 * blocks
            }
            if offset < buffer.count {
                block.append(contentsOf: buffer[offset...])
            }
        }

        /// The digest of everything fed so far (32 bytes).
        public func finalize() -> [UInt8] {
            var copy = self
            return block.withUnsafeBufferPointer { tail in copy.finish(tail: tail, length: length) }
        }

        /// The digest of `bytes` alone, hashed in place (no partial-block buffer is allocated).
        static func oneShot(_ bytes: UnsafeBufferPointer<UInt8>, portable: Bool = false) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: 32) { digest, initialized in
                oneShot(bytes, into: digest, portable: portable)
                initialized = 32
            }
        }

        /// The digest of `bytes` alone, hashed in place, written to the first 32 bytes of `digest`.
        static func oneShot(_ bytes: UnsafeBufferPointer<UInt8>, into digest: UnsafeMutableBufferPointer<UInt8>,
                            portable: Bool = false) {
            var hasher = Hasher(portable: portable)
            var offset = 0
            if bytes.count >= 64 {
                hasher.compress(bytes.baseAddress!, blocks: bytes.count / 64)
                offset = bytes.count / 64 * 64
            }
            hasher.finish(tail: UnsafeBufferPointer(rebasing: bytes[offset...]), length: UInt64(bytes.count),
                          into: digest)
        }

        /// A hasher without a partial-block buffer; `portable` keeps to the Swift code (for tests).
        private init(portable: Bool) {
            self.portable = portable
        }

        /// Pads `tail` (fewer than 64 bytes, the end of a message of `length` bytes) in a buffer on the stack,
        /// compresses the last block or two, and returns the digest.
        private mutating func finish(tail: UnsafeBufferPointer<UInt8>, length: UInt64) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: 32) { digest, initialized in
                finish(tail: tail, length: length, into: digest)
                initialized = 32
            }
        }

        /// `finish`, writing the digest to the first 32 bytes of `digest`.
        private mutating func finish(tail: UnsafeBufferPointer<UInt8>, length: UInt64,
                                     into digest: UnsafeMutableBufferPointer<UInt8>) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { last in
                let count = tail.count
                for index in 0..<count { last[index] = tail[index] }
                last[count] = 0x80
                let blocks = count + 1 + 8 <= 64 ? 1 : 2
                for index in (count + 1)..<(blocks * 64 - 8) { last[index] = 0 }
                let bitLength = length &* 8
                for index in 0..<8 {
                    last[blocks * 64 - 8 + index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * index))
                }
                compress(UnsafePointer(last.baseAddress!), blocks: blocks)
            }
            withUnsafeBytes(of: state) { words in
                for index in 0..<8 {
                    let word = words.load(fromByteOffset: 4 * index, as: UInt32.self)
                    digest[4 * index] = UInt8(truncatingIfNeeded: word >> 24)
                    digest[4 * index + 1] = UInt8(truncatingIfNeeded: word >> 16)
                    digest[4 * index + 2] = UInt8(truncatingIfNeeded: word >> 8)
                    digest[4 * index + 3] = UInt8(truncatingIfNeeded: word)
                }
            }
        }

        /// The digest as 64 lower-case hex digits.
        public func finalizeHex() -> String {
            SHA256.hex(finalize())
        }

        /// `blocks` 64-byte blocks: with the CPU's SHA extensions where it has them, in Swift otherwise.
        private mutating func compress(_ bytes: UnsafePointer<UInt8>, blocks: Int) {
            if SHA256.accelerated && !portable {
                withUnsafeMutableBytes(of: &state) { words in
                    markgate_sha256_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self), bytes, blocks)
                }
            } else {
                for block in 0..<blocks { compress(bytes + 64 * block) }
            }
        }

        /// One 64-byte block, in Swift.
        private mutating func compress(_ bytes: UnsafePointer<UInt8>) {
            var w = (
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0)
            )
            withUnsafeMutableBytes(of: &w) { raw in
                let w = raw.bindMemory(to: UInt32.self)
                for t in 0..<16 {
                    let p = bytes + 4 * t
                    w[t] = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
                }
                for t in 16..<64 {
                    let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                    let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                    w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                }
                var (a, b, c, d, e, f, g, h) = state
                roundConstants.withUnsafeBufferPointer { k in
                    for t in 0..<64 {
                        let sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ sum1 &+ choose &+ k[t] &+ w[t]
                        let sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = sum0 &+ majority
                        h = g; g = f; f = e; e = d &+ t1
                        d = c; c = b; b = a; a = t1 &+ t2
                    }
                }
                state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                         state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
            }
        }
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

@inline(__always)
private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x >> n) | (x << (32 - n))
}

private let roundConstants: [UInt32] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]
