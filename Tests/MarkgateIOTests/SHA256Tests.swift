import MarkgateIO
import Testing

struct SHA256Vector: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var digest: String

    var testDescription: String { name }

    init(_ name: String, _ input: [UInt8], _ digest: String) {
        self.name = name
        self.input = input
        self.digest = digest
    }
}

private let sha256Vectors: [SHA256Vector] = [
    // FIPS 180-2, appendix B.
    .init("empty", [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    .init("abc (one block)", Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    .init("448 bits (two blocks)", Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    .init("896 bits", Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                             + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    .init("one million a", [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    // Padding edges: the length fits in the last block (55), just does not (56), whole blocks (64), and past.
    .init("55 a", [UInt8](repeating: 0x61, count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
    .init("56 a", [UInt8](repeating: 0x61, count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
    .init("63 a", [UInt8](repeating: 0x61, count: 63), "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
    .init("64 a", [UInt8](repeating: 0x61, count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    .init("65 a", [UInt8](repeating: 0x61, count: 65), "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
    .init("119 a", [UInt8](repeating: 0x61, count: 119), "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
    .init("120 a", [UInt8](repeating: 0x61, count: 120), "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    .init("UTF-8 text", Array("耐克 NIKE".utf8), "a07601791727df41e252d90df274084cb56c2644d108e2a296f708bb489f2ab4"),
]

@Suite("SHA256")
struct SHA256Tests {
    @Test("known digests", arguments: sha256Vectors)
    func knownDigest(_ vector: SHA256Vector) {
        let digest = SHA256.hash(vector.input)
        #expect(digest.count == SHA256.digestCount)
        #expect(SHA256.hex(digest) == vector.digest)
        #expect(SHA256.hexDigest(vector.input) == vector.digest)
    }

    @Test("incremental hashing in uneven pieces gives the one-shot digest", arguments: sha256Vectors)
    func incremental(_ vector: SHA256Vector) {
        for pieceLength in [1, 3, 63, 64, 65, 1000] where pieceLength <= max(vector.input.count, 1) {
            var hasher = SHA256.Hasher()
            var start = 0
            while start < vector.input.count {
                let end = min(start + pieceLength, vector.input.count)
                hasher.update(vector.input[start..<end])
                start = end
            }
            #expect(SHA256.hex(hasher.finalize()) == vector.digest, "pieces of \(pieceLength)")
        }
    }

    @Test("non-contiguous sequences are hashed too")
    func nonContiguous() {
        let lazyBytes = (0..<3).lazy.map { UInt8(ascii: "a") + UInt8($0) }   // "abc"
        #expect(SHA256.hexDigest(lazyBytes) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("finalize leaves the hasher usable for a longer input")
    func finalizeThenContinue() {
        var hasher = SHA256.Hasher()
        hasher.update("ab".utf8)
        #expect(hasher.finalizeHex() == SHA256.hexDigest("ab".utf8))
        hasher.update("c".utf8)
        #expect(hasher.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("hex spells bytes as lower-case pairs")
    func hexEncoding() {
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(SHA256.hex([UInt8]()) == "")
    }
}
