import Dispatch
import Foundation
import MarkgateCore
import Synchronization
import Testing
@testable import MarkgateIO

private struct BadFile: Error, Equatable {}

private func snapshot(_ mark: String, rules: String) -> ScreeningSetup.Snapshot {
    let register = Register(marks: [Mark(id: mark, names: [mark])])
    return ScreeningSetup.Snapshot(screener: Screener(register: register), registerHash: "sha256:\(mark)",
                                   rulesHash: rules)
}

@Test("A good reload swaps the whole set in and counts a generation")
func reloadSwaps() {
    let setup = ScreeningSetup(snapshot("NIKE", rules: "sha256:old"))
    let result = setup.reload { () throws(BadFile) in snapshot("ADIDAS", rules: "sha256:new") }
    #expect((try? result.get())?.generation == 1)
    #expect(setup.current.rulesHash == "sha256:new")
    #expect(setup.current.screener.register.marks.map(\.id) == ["ADIDAS"])
}

@Test("A bad reload keeps the old set in force and returns the error")
func badReloadKeepsOld() {
    let setup = ScreeningSetup(snapshot("NIKE", rules: "sha256:old"))
    let result = setup.reload { () throws(BadFile) -> ScreeningSetup.Snapshot in throw BadFile() }
    #expect(throws: BadFile.self) { try result.get() }
    #expect(setup.current.rulesHash == "sha256:old")
    #expect(setup.current.generation == 0)
}

@Test("Under concurrent screening and reloads every decision is consistent: the register and rules of one set")
func reloadUnderLoad() {
    let setup = ScreeningSetup(snapshot("NIKE", rules: "sha256:NIKE"))
    let inconsistent = Mutex(0)
    let screened = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: 4) { lane in
        for round in 0..<200 {
            if lane == 0 {
                let mark = round.isMultiple(of: 2) ? "ADIDAS" : "NIKE"
                setup.reload { () throws(BadFile) in snapshot(mark, rules: "sha256:\(mark)") }
            } else {
                let set = setup.current
                let decision = set.stamped(set.screener.screen(Parcel(id: "P", items: [
                    ParcelItem(line: 1, description: "NIKE and ADIDAS shoes"),
                ])))
                // The hit's mark, the register hash and the rules hash all name the same set.
                let marks = decision.hits.map(\.mark)
                let expected = marks.first.map { "sha256:\($0)" }
                if marks.count != 1 || decision.register != expected || decision.rules != expected {
                    inconsistent.withLock { $0 += 1 }
                }
                screened.withLock { $0 += 1 }
            }
        }
    }
    #expect(screened.withLock { $0 } == 600)
    #expect(inconsistent.withLock { $0 } == 0)
    #expect(setup.current.generation == 200)
}

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

private func shipped(_ name: String) -> String { repository.appendingPathComponent("Rules/\(name)").path }

@Test("Reloading from files: a bad rules file or register keeps the old set and reports every error with its place")
func reloadFromFiles() throws {
    let setup = ScreeningSetup(try ScreeningSetup.Snapshot.load(
        registerPath: shipped("register.yaml"), rulesPath: shipped("rules.yaml"), hsTablePath: shipped("hs-nice.yaml")))
    let before = setup.current
    #expect(before.rulesHash.hasPrefix("sha256:") && before.registerHash.hasPrefix("sha256:"))

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-reload-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let badRules = folder.appendingPathComponent("rules.yaml").path
    try "version: 1\nthresholds: {review: 0.9, inspect: 0.8}\n".write(toFile: badRules, atomically: true,
                                                                       encoding: .utf8)
    let badRegister = folder.appendingPathComponent("register.yaml").path
    try "version: 1\nmarks:\n  - id: X\n    names: []\n".write(toFile: badRegister, atomically: true, encoding: .utf8)

    let failed = setup.reload(registerPath: badRegister, rulesPath: badRules, hsTablePath: shipped("hs-nice.yaml"))
    guard case .failure(let error) = failed else {
        Issue.record("a bad register and rules file reloaded")
        return
    }
    #expect(error.diagnostics.contains { $0.location.file == badRegister })
    #expect(error.diagnostics.contains { $0.location.file == badRules && $0.location.line == 2 })
    #expect(setup.current.rulesHash == before.rulesHash)
    #expect(setup.current.generation == 0)

    // A good rules file with another threshold swaps in with its own hash.
    let goodRules = folder.appendingPathComponent("good.yaml").path
    try String(contentsOfFile: shipped("rules.yaml"), encoding: .utf8)
        .replacingOccurrences(of: "review: 0.5", with: "review: 0.55").write(toFile: goodRules, atomically: true,
                                                                             encoding: .utf8)
    let reloaded = try setup.reload(registerPath: shipped("register.yaml"), rulesPath: goodRules,
                                    hsTablePath: shipped("hs-nice.yaml")).get()
    #expect(reloaded.generation == 1)
    #expect(reloaded.rulesHash != before.rulesHash)
    #expect(setup.current.screener.rules.review == 0.55)
}
