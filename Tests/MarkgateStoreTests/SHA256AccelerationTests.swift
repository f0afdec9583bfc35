import Foundation
import MarkgateTestSupport
import Testing
@testable import MarkgateIO

/// The SHA-extension path (where the CPU has it) and the Swift path agree: every length from 0 to 200 bytes
/// (around the block and padding boundaries), a long input, and streamed in odd chunks.
@Test func acceleratedAndPortableDigestsAgree() {
    var random = SplitMix64(seed: 11)
    var inputs: [[UInt8]] = (0...200).map { length in
        (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }
    inputs.append((0..<100_003).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    for input in inputs {
        let digest = SHA256.hash(input)
        #expect(digest == SHA256.portableHash(input), "\(input.count) bytes")
        var streamed = SHA256.Hasher()
        for start in stride(from: 0, to: input.count, by: 37) {
            streamed.update(input[start..<min(input.count, start + 37)])
        }
        #expect(streamed.finalize() == digest, "\(input.count) bytes in chunks of 37")
    }
    // FIPS 180-4 vectors, both paths.
    let abc = Array("abc".utf8)
    #expect(SHA256.hex(SHA256.hash(abc)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex(SHA256.portableHash(abc)) == SHA256.hex(SHA256.hash(abc)))
    let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(SHA256.hex(SHA256.hash(twoBlocks)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
}

@Test func theExtensionsAreUsedWhereTheCPUHasThem() throws {
    // On Linux the kernel lists the SHA extensions as `sha_ni`; the path in use must follow them.
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return }
    let listed = cpuinfo.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.contains(" sha_ni") }
    if ProcessInfo.processInfo.environment["MARKGATE_SHA256_PORTABLE"] == nil {
        #expect(SHA256.accelerated == listed)
    }
}
