import Foundation
import MarkgateTestSupport
import Testing

/// `rules backtest` and `rules diff` run on the labelled development set (`../shared/devset`, as in CI),
/// through the built `markgate` and, for the figures, `score.py` itself.
private let repository = packageRoot
private let devset = repository.deletingLastPathComponent().appendingPathComponent("shared/devset")

/// Runs a program in the repository and returns its exit status and standard output.
private func run(_ program: URL, _ arguments: [String]) throws -> (status: Int32, out: String) {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    process.currentDirectoryURL = repository
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self))
}

private func path(_ name: String) -> String { devset.appendingPathComponent(name).path }

private func temporaryFile(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("markgate-rules-\(UUID())-\(name)").path
}

@Test("rules backtest prints the recall and false-alarm rate score.py gives on screen's decisions")
func backtestAgreesWithScorePy() throws {
    guard FileManager.default.fileExists(atPath: path("labels.csv")) else {
        Issue.record("the development set is missing at \(devset.path)")
        return
    }
    // A copy of the shipped rules with the review threshold raised, so that some labelled parcels are missed
    // and the comparison is not just 1.0 against 1.0.
    let shipped = try String(contentsOfFile: repository.appendingPathComponent("Rules/rules.yaml").path,
                             encoding: .utf8)
    let rules = temporaryFile("rules.yaml")
    try shipped.replacingOccurrences(of: "review: 0.5", with: "review: 0.62").write(toFile: rules, atomically: true,
                                                                                   encoding: .utf8)
    let common = ["--register", path("register.yaml"), "--rules", rules]
    let decisions = temporaryFile("decisions.jsonl")
    let screened = try run(builtMarkgate, ["screen", path("parcels.csv"), "--out", decisions] + common)
    #expect(screened.status == 0)
    let python = URL(fileURLWithPath: "/usr/bin/env")
    let scored = try run(python, ["python3", path("score.py"), path("labels.csv"), decisions, "--json"])
    let expected = try #require(try JSONSerialization.jsonObject(with: Data(scored.out.utf8)) as? [String: Any])
    let backtest = try run(builtMarkgate, ["rules", "backtest", "--labels", path("labels.csv"), path("parcels.csv"),
                                        "--json"] + common)
    #expect(backtest.status == 0)
    let actual = try #require(try JSONSerialization.jsonObject(with: Data(backtest.out.utf8)) as? [String: Any])
    let recall = try #require(expected["recall"] as? Double), fpr = try #require(expected["fpr"] as? Double)
    #expect(recall < 1, "the raised threshold should miss some parcels")
    #expect(actual["recall"] as? Double == recall)
    #expect(actual["fpr"] as? Double == fpr)
    #expect(actual["precision"] as? Double == expected["precision"] as? Double)
    #expect(actual["lost"] as? Int == expected["lost"] as? Int)
}

@Test("rules diff with the inspect threshold raised lists exactly the parcels scored between the two thresholds")
func diffListsParcelsBetweenThresholds() throws {
    guard FileManager.default.fileExists(atPath: path("parcels.csv")) else {
        Issue.record("the development set is missing at \(devset.path)")
        return
    }
    let shipped = repository.appendingPathComponent("Rules/rules.yaml").path
    let raised = temporaryFile("raised.yaml")
    try String(contentsOfFile: shipped, encoding: .utf8).replacingOccurrences(of: "inspect: 0.8", with: "inspect: 0.9")
        .write(toFile: raised, atomically: true, encoding: .utf8)
    let register = ["--register", path("register.yaml")]

    let screened = try run(builtMarkgate, ["screen", path("parcels.csv"), "--rules", shipped] + register)
    var between: Set<String> = []
    for line in screened.out.split(separator: "\n") {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        if let score = object["score"] as? Double, score >= 0.8, score < 0.9, let parcel = object["parcel"] as? String {
            between.insert(parcel)
        }
    }
    #expect(!between.isEmpty)

    let diff = try run(builtMarkgate, ["rules", "diff", shipped, raised, path("parcels.csv"), "--json"] + register)
    #expect(diff.status == 0)
    var changed: Set<String> = []
    var summary: [String: Any] = [:]
    for line in diff.out.split(separator: "\n") {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        if let parcel = object["parcel"] as? String {
            #expect(object["change"] as? String == "inspect → review")
            changed.insert(parcel)
        } else {
            summary = try #require(object["summary"] as? [String: Any])
        }
    }
    #expect(changed == between)
    #expect(summary["changed"] as? Int == between.count)
    #expect((summary["by_change"] as? [String: Int]) == ["inspect → review": between.count])
}
