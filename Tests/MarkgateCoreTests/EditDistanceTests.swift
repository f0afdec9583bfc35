import MarkgateTestSupport
import Testing
@testable import MarkgateCore

struct DistanceCase: CustomTestStringConvertible, Sendable {
    let name: String
    let a: String
    let b: String
    let distance: Int
    var testDescription: String { name }
}

let distanceCases: [DistanceCase] = [
    DistanceCase(name: "equal", a: "huawei", b: "huawei", distance: 0),
    DistanceCase(name: "empty-left", a: "", b: "abc", distance: 3),
    DistanceCase(name: "empty-right", a: "abc", b: "", distance: 3),
    DistanceCase(name: "transposition", a: "huawei", b: "hauwei", distance: 1),
    DistanceCase(name: "omission", a: "louisvuitton", b: "louisuitton", distance: 1),
    DistanceCase(name: "duplication", a: "zippo", b: "ziippo", distance: 1),
    DistanceCase(name: "substitution", a: "prada", b: "prado", distance: 1),
    DistanceCase(name: "two-edits", a: "tiffanyco", b: "tiffaneoc", distance: 2),
    DistanceCase(name: "osa-not-damerau", a: "ca", b: "abc", distance: 3),
    // Longer than 64 bytes: the table path. A shift by one is a deletion and an insertion.
    DistanceCase(name: "long-shifted", a: String(repeating: "ab", count: 40), b: String(repeating: "ba", count: 40),
                 distance: 2),
    DistanceCase(name: "64-bytes", a: String(repeating: "a", count: 64), b: String(repeating: "a", count: 63) + "b",
                 distance: 1),
]

@Test(arguments: distanceCases)
func osaDistance(_ testCase: DistanceCase) {
    let a = Array(testCase.a.utf8), b = Array(testCase.b.utf8)
    #expect(EditDistance.osa(a, b) == testCase.distance)
    #expect(EditDistance.osaTable(a, b) == testCase.distance)
}

@Test("The bit-parallel OSA distance agrees with the table on random strings")
func osaDifferential() {
    var random = SplitMix64(seed: 0x0C5A)
    let alphabet = Array("abcd".utf8)
    for _ in 0..<3000 {
        let a = (0..<Int.random(in: 1...20, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
        let b = (0..<Int.random(in: 0...20, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
        let fast = EditDistance.osa(a, b), slow = EditDistance.osaTable(a, b)
        #expect(fast == slow, "\(String(decoding: a, as: UTF8.self)) / \(String(decoding: b, as: UTF8.self))")
        if fast != slow { return }
    }
}
