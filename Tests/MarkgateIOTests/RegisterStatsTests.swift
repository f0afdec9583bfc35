import MarkgateCore
import Testing
@testable import MarkgateIO

@Test(arguments: [
    ("NIKE", NameScript.latin), ("Hermès", .latin), ("ＮＩＫＥ", .latin), ("3M", .latin), ("耐克", .cjk),
    ("ソニー", .cjk), ("삼성", .cjk), ("Apple 苹果", .mixed), ("СНАNEL", .other), ("123", .other), ("", .other),
])
func nameScripts(_ name: String, _ script: NameScript) {
    #expect(NameScript(of: name) == script)
}

@Test func statsCountWhatTheRegisterHolds() throws {
    let register = Register(marks: [
        Mark(id: "NIKE", names: ["NIKE", "耐克"], variants: ["Naike"], kind: .wellKnown, classes: [25, 28],
             owner: "Nike", licensees: ["A", "B"], minUnitPrice: [PriceFloor(currency: "USD", amount: 40),
                                                                  PriceFloor(currency: "CNY", amount: 250)]),
        Mark(id: "APPLE", names: ["APPLE", "苹果", "ａｐｐｌｅ"], classes: [9], recordation: "T1",
             genericNames: ["APPLE", "苹果"], context: ["iphone"],
             minUnitPrice: [PriceFloor(currency: "USD", amount: 19)]),
        Mark(id: "GI", names: ["Apple 苹果"], kind: .geographicIndication),
    ])
    let stats = RegisterStats(register: register)
    #expect(stats.marks == 3)
    #expect(stats.marksByKind == ["trademark": 1, "well-known": 1, "time-honored": 0, "geographic-indication": 1])
    #expect(stats.names == 6)
    #expect(stats.namesByScript == ["latin": 3, "cjk": 2, "mixed": 1, "other": 0])
    #expect(stats.variants == 1)
    #expect(stats.normalizedNames == 6, "ａｐｐｌｅ reads as APPLE")
    #expect(stats.marksWithClasses == 2 && stats.marksForAllClasses == 1)
    #expect(stats.classesNamed == [9, 25, 28])
    #expect(stats.licensees == 2 && stats.marksWithLicensees == 1)
    #expect(stats.genericNames == 2 && stats.marksWithGenericNames == 1 && stats.contextWords == 1)
    #expect(stats.priceFloorsByCurrency == ["USD": 2, "CNY": 1] && stats.marksWithPriceFloors == 2)
    #expect(stats.marksWithOwner == 1 && stats.marksWithRecordation == 1)
    #expect(stats.automatonPatterns >= stats.normalizedNames && stats.automatonStates > 0)
    let table = stats.table.split(separator: "\n").map(String.init)
    // Labels on the left, figures right-aligned in one column.
    let marksLine = try #require(table.first), usdLine = try #require(table.first { $0.hasPrefix("  USD ") })
    #expect(marksLine.hasPrefix("marks ") && marksLine.hasSuffix(" 3"))
    #expect(usdLine.hasSuffix(" 2") && usdLine.count == marksLine.count)
    #expect(table.allSatisfy { !$0.hasSuffix(" ") })
    #expect(stats.json.hasPrefix("{\"automaton_bytes\":"))
    #expect(stats.json.contains("\"marks_by_kind\":{\"geographic-indication\":1,\"time-honored\":0,"))
}

@Test(arguments: [(0, "0"), (999, "999"), (1_000, "1,000"), (2_318_436, "2,318,436"), (-12_345, "-12,345")])
func groupedNumbers(_ value: Int, _ text: String) {
    #expect(RegisterStats.grouped(value) == text)
}
