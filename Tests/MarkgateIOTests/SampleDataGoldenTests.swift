import Foundation
import MarkgateCore
import Testing
@testable import MarkgateIO

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The sample manifests: one of each format (contract §2).
let sampleFiles = ["manifest.csv", "stream.jsonl", "manifest.xml", "ceb621.xml", "ceb311.xml"]

@Test("Each sample manifest screens to the decisions in SampleData/expected (scripts/update-golden)",
      arguments: sampleFiles)
func sampleDataGolden(_ name: String) throws {
    let registerPath = repository.appendingPathComponent("Rules/register.yaml").path
    let register = try RegisterLoader.load(path: registerPath).register
    let classes = try NiceClassTableLoader.load(path: repository.appendingPathComponent("Rules/hs-nice.yaml").path)
    let rulesPath = repository.appendingPathComponent("Rules/rules.yaml").path
    let rules = try RulesLoader.load(path: rulesPath).rules
    let screener = Screener(register: register, niceClasses: classes, rules: rules)
    let registerHash = ContentHash.register(at: registerPath)
    let rulesHash = try #require(ContentHash.file(at: rulesPath))

    let path = repository.appendingPathComponent("SampleData/\(name)").path
    var lines: [String] = []
    for record in try ManifestSource(path: path) {
        switch record {
        case .parcel(let parcel, _):
            var decision = screener.screen(parcel)
            decision.register = registerHash
            decision.rules = rulesHash
            lines.append(DecisionJSON.line(decision))
        case .error(let error):
            lines.append(DecisionJSON.line(RecordError(parcel: error.parcel, location: SourceLocation(
                file: "SampleData/\(name)", line: error.location.line, column: error.location.column),
                message: error.message)))
        }
    }
    let expectedPath = repository.appendingPathComponent("SampleData/expected/\(name).jsonl").path
    let expected = try String(contentsOfFile: expectedPath, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(lines.count == expected.count, "\(name): \(lines.count) records, expected \(expected.count)")
    for (line, want) in zip(lines, expected) { #expect(line == want) }
}
