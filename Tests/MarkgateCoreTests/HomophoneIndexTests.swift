import Testing
@testable import MarkgateCore

/// A window's reading keys, as the flat table and the mixed-radix enumeration give them.
struct HomophoneKeyCase: CustomTestStringConvertible, Sendable {
    var testDescription: String
    var text: String
    /// How many keys: the product of the characters' reading counts, at most 16; 0 when one has none.
    var count: Int

    init(_ name: String, _ text: String, count: Int) {
        testDescription = name
        self.text = text
        self.count = count
    }
}

struct HomophoneIndexTests {
    static let keyCases: [HomophoneKeyCase] = [
        HomophoneKeyCase("one reading each", "古驰", count: 1),
        HomophoneKeyCase("a polyphonic character", "长城", count: HomophoneIndex.readingTable.readings(of: 0x957F).count),
        HomophoneKeyCase("no readings (Latin)", "ab", count: 0),
        HomophoneKeyCase("no readings for one character", "古a", count: 0),
        HomophoneKeyCase("capped at 16", "行行行行", count: 16),
        // The odometer carries across characters: polyphonic characters first, last, and side by side.
        HomophoneKeyCase("carries across three", "长行乐", count: readingCount("长行乐")),
        HomophoneKeyCase("polyphonic first, plain last", "行古", count: readingCount("行古")),
        HomophoneKeyCase("plain between polyphonic", "乐古行", count: readingCount("乐古行")),
        HomophoneKeyCase("four, capped", "得了长乐", count: readingCount("得了长乐")),
        HomophoneKeyCase("polyphonic first of four, plain between", "行古长驰", count: readingCount("行古长驰")),
    ]

    /// The product of the characters' reading counts, at most 16.
    static func readingCount(_ text: String) -> Int {
        min(16, text.unicodeScalars.reduce(1) { $0 * HomophoneIndex.readingTable.readings(of: $1.value).count })
    }

    @Test(arguments: keyCases)
    func keys(_ testCase: HomophoneKeyCase) {
        let scalars = Array(testCase.text.unicodeScalars)
        let keys = HomophoneIndex.keys(scalars)
        #expect(keys.count == testCase.count)
        #expect(keys == Self.referenceKeys(scalars))
    }

    /// `writeKeys` (how `find` asks a window with a polyphonic character) writes the same keys in the same order.
    @Test(arguments: keyCases.filter { $0.count > 0 })
    func writtenKeys(_ testCase: HomophoneKeyCase) {
        let table = HomophoneIndex.readingTable
        let scalars = Array(testCase.text.unicodeScalars)
        let ranges = scalars.map { table.range(of: $0.value) }
        var keys = [UInt64](repeating: 0, count: HomophoneIndex.maxKeys)
        let count = ranges.withUnsafeBufferPointer { ranges in
            table.ids.withUnsafeBufferPointer { ids in
                keys.withUnsafeMutableBufferPointer { HomophoneIndex.writeKeys(ranges, ids: ids, into: $0) }
            }
        }
        #expect(count == testCase.count)
        #expect(Array(keys[..<count]) == Self.referenceKeys(scalars))
    }

    /// The keys built the plain way: every combination in order, the first character varying slowest.
    static func referenceKeys(_ scalars: [Unicode.Scalar]) -> [UInt64] {
        var keys: [UInt64] = [0]
        for scalar in scalars {
            let options = HomophoneIndex.readingTable.readings(of: scalar.value)
            if options.isEmpty { return [] }
            keys = keys.flatMap { key in options.map { key << 16 | UInt64($0) } }
        }
        return Array(keys.prefix(16))
    }

    @Test func readingTableFoldsFuzzySounds() {
        // 深 shen and 森 sen fold together (sh/s); 娘 niang and 凉 liang (n/l, -ang/-an).
        let table = HomophoneIndex.readingTable
        #expect(Set(table.readings(of: 0x6DF1)).isSuperset(of: table.readings(of: 0x68EE)))
        #expect(!Set(table.readings(of: 0x5A18)).isDisjoint(with: table.readings(of: 0x51C9)))
        #expect(table.readings(of: 0x41).isEmpty)
        #expect(table.readings(of: 0xA000).isEmpty)
    }
}
