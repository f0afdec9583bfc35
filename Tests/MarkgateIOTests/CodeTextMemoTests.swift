@testable import MarkgateIO
import MarkgateTestSupport
import Testing

/// Bytes a code may hold, and the `String` the memo must give for them (nil: left to the caller).
struct CodeTextCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: String?

    var testDescription: String { name }
}

private let codeTextCases: [CodeTextCase] = [
    CodeTextCase(name: "lower-case letters upper-cased", bytes: Array("usd".utf8), expected: "USD"),
    CodeTextCase(name: "upper-case letters as they are", bytes: Array("CN".utf8), expected: "CN"),
    CodeTextCase(name: "mixed case", bytes: Array("Cn".utf8), expected: "CN"),
    CodeTextCase(name: "digits as they are", bytes: Array("6109100000".utf8), expected: "6109100000"),
    CodeTextCase(name: "the bytes either side of a-z and A-Z kept", bytes: Array("@[`{az".utf8),
                 expected: "@[`{AZ"),
    CodeTextCase(name: "DEL and a space kept", bytes: [0x7F, 0x20, 0x61], expected: "\u{7F} A"),
    CodeTextCase(name: "a NUL byte is part of the code", bytes: [0x61, 0x00], expected: "A\u{0}"),
    CodeTextCase(name: "fifteen bytes kept", bytes: Array("abcdefghijklmno".utf8), expected: "ABCDEFGHIJKLMNO"),
    CodeTextCase(name: "sixteen bytes left to the caller", bytes: Array("abcdefghijklmnop".utf8), expected: nil),
    CodeTextCase(name: "no bytes left to the caller", bytes: [], expected: nil),
    CodeTextCase(name: "a byte past ASCII left to the caller", bytes: Array("uÜ".utf8), expected: nil),
    CodeTextCase(name: "a lone 0x80 left to the caller", bytes: [0x41, 0x80], expected: nil),
]

@Suite("Code text memo")
struct CodeTextMemoTests {
    @Test("a code reads as its upper case, the first time and again", arguments: codeTextCases)
    func oneCode(_ testCase: CodeTextCase) {
        var memo = CodeTextMemo()
        for _ in 0..<2 {
            let text = testCase.bytes.withUnsafeBufferPointer { memo.upperCased($0) }
            #expect(text == testCase.expected)
        }
    }

    @Test("codes read among others, the short ones ending in NUL too, each give their own text")
    func amongOthers() {
        var memo = CodeTextMemo()
        // "A" and "A\0", "AB" and "AB\0": one key apart only by their lengths.
        let more: [[UInt8]] = [[0x61], [0x61, 0x00], [0x41, 0x42], [0x41, 0x42, 0x00], [0x00]]
        let codes = codeTextCases.map(\.bytes) + more
        for round in 0..<3 {
            for bytes in round == 1 ? codes.reversed() : codes {
                let text = bytes.withUnsafeBufferPointer { memo.upperCased($0) }
                #expect(text == Self.reference(bytes), "\(bytes)")
            }
        }
    }

    @Test("many codes sharing the slots read as their upper case", arguments: 0..<4)
    func generated(_ seed: Int) {
        var random = SplitMix64(seed: UInt64(seed) &+ 301)
        // More codes than slots, so that codes take turns in them.
        let codes: [[UInt8]] = (0..<600).map { _ in
            (0..<Int.random(in: 1...17, using: &random)).map { _ in UInt8.random(in: 0...0x7F, using: &random) }
        }
        var memo = CodeTextMemo()
        for _ in 0..<5_000 {
            let bytes = codes[Int.random(in: 0..<(Bool.random(using: &random) ? 20 : codes.count), using: &random)]
            let text = bytes.withUnsafeBufferPointer { memo.upperCased($0) }
            #expect(text == Self.reference(bytes), "\(bytes)")
        }
    }

    /// What the memo must give: the upper case of 1 to 15 ASCII bytes.
    private static func reference(_ bytes: [UInt8]) -> String? {
        guard (1...CodeTextMemo.maxLength).contains(bytes.count), bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: bytes, as: UTF8.self).uppercased()
    }
}
