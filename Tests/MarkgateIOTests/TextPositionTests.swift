import Foundation
@testable import MarkgateIO
import Testing

/// Texts of many lengths (around the 16-byte blocks and the 127-block runs) with line feeds here and there.
private let lineBreakLengths: [Int] = [0, 1, 15, 16, 17, 31, 32, 33, 127 * 16 - 1, 127 * 16, 127 * 16 + 1, 5_000,
                                       65_536, 100_003]

@Suite("TextPosition")
struct TextPositionTests {
    @Test("line feeds counted 16 at a time are those a byte loop counts", arguments: lineBreakLengths)
    func lineBreaks(_ length: Int) {
        var state: UInt64 = UInt64(length) &+ 1
        for density in [0, 1, 30, 100] {   // percent of line feeds
            var bytes = [UInt8](repeating: 0x41, count: length)
            for index in bytes.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                if Int(state >> 33) % 100 < density { bytes[index] = 0x0A }
            }
            let expected = bytes.filter { $0 == 0x0A }.count
            #expect(bytes.withUnsafeBufferPointer(TextPosition.lineBreaks) == expected, "\(length), \(density)%")
        }
    }

    @Test("the position after a text is the same in any chunking")
    func chunking() {
        let text = Array(("a\n运动鞋\r\n" + String(repeating: "x", count: 40) + "\n\n𝐏 y").utf8)
        for size in [1, 3, 16, 17, text.count] {
            var offset = 0
            let position = TextPosition()
            let chunks = position.tracking {
                guard offset < text.count else { return nil }
                defer { offset += size }
                return Array(text[offset..<min(text.count, offset + size)])
            }
            while chunks() != nil {}
            #expect(position.line == 5 && position.column == 4, "chunks of \(size): \(position.line):\(position.column)")
        }
    }
}
