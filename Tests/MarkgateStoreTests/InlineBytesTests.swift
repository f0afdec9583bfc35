import Testing
@testable import MarkgateStore

/// `InlineBytes` gives back exactly the bytes it was given, and compares by them.
struct InlineBytesTests {
    @Test(arguments: [("empty", ""), ("a timestamp", "2026-11-21T18:40:12.345Z"),
                      ("32 bytes", String(repeating: "d", count: 32)), ("UTF-8", "耐克 ＮＩＫＥ")])
    func holdsItsBytes(name: String, text: String) {
        var text = text
        let bytes = text.withUTF8 { InlineBytes($0) }
        #expect(bytes.array == Array(text.utf8), "\(name)")
        #expect(bytes.description == text, "\(name)")
        #expect(bytes.count == text.utf8.count, "\(name)")
    }

    @Test func comparesByItsBytesOnly() {
        let a = InlineBytes(count: 3) { $0[0] = 1; $0[1] = 2; $0[2] = 3 }
        let b = [UInt8]([1, 2, 3]).withUnsafeBufferPointer { InlineBytes($0) }
        let c = [UInt8]([1, 2, 3, 0]).withUnsafeBufferPointer { InlineBytes($0) }
        #expect(a == b)
        #expect(a != c)
    }
}
