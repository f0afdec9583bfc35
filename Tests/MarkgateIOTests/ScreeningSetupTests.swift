import Dispatch
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
