import Foundation
import MarkgateCore
import Testing
@testable import MarkgateIO

/// The repository root and the labelled development set beside it (`../shared/devset`, as in CI).
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
private let devset = root.deletingLastPathComponent().appendingPathComponent("shared/devset")

@Test("The development set screens at recall ≥ 0.97 and false alarms ≤ 0.01, every family within its bound")
func developmentSetScores() throws {
    let labelsPath = devset.appendingPathComponent("labels.csv").path
    guard FileManager.default.fileExists(atPath: labelsPath) else {
        Issue.record("the development set is missing at \(devset.path)")
        return
    }
    let register = try RegisterLoader.load(path: devset.appendingPathComponent("register.yaml").path).register
    let classes = try NiceClassTableLoader.load(path: root.appendingPathComponent("Rules/hs-nice.yaml").path)
    let screener = Screener(register: register, niceClasses: classes)

    var decisions: [String: Decision] = [:]
    for record in try CSVManifestReader(path: devset.appendingPathComponent("parcels.csv").path) {
        guard case .parcel(let parcel, _) = record else {
            Issue.record("unexpected error record: \(record)")
            continue
        }
        decisions[parcel.id] = screener.screen(parcel)
    }

    // labels.csv: parcel_id,label,mark,family (no quoted fields; CRLF lines: "\r\n" is one Character).
    let lines = try String(contentsOfFile: labelsPath, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
    var families: [String: (label: String, right: Int, total: Int)] = [:]
    var truePositives = 0, positives = 0, falseAlarms = 0, negatives = 0
    for line in lines {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 4 else { continue }
        let (id, label, mark, family) = (fields[0], fields[1], fields[2], fields[3])
        let decision = try #require(decisions[id], "no decision for \(id)")
        let flagged = decision.decision != .clear
        let right: Bool
        if label == "flag" {
            right = flagged && decision.hits.contains { $0.mark == mark }
            positives += 1
            truePositives += right ? 1 : 0
        } else {
            right = !flagged
            negatives += 1
            falseAlarms += right ? 0 : 1
        }
        var tally = families[family] ?? (label, 0, 0)
        tally.right += right ? 1 : 0
        tally.total += 1
        families[family] = tally
    }
    #expect(positives > 1_000 && negatives > 1_000, "labels read: \(positives) to flag, \(negatives) to clear")
    let recall = Double(truePositives) / Double(positives)
    let falseAlarmRate = Double(falseAlarms) / Double(negatives)
    #expect(recall >= 0.97, "recall \(recall)")
    #expect(falseAlarmRate <= 0.01, "false-alarm rate \(falseAlarmRate)")
    for (family, tally) in families.sorted(by: { $0.key < $1.key }) {
        let rate = Double(tally.right) / Double(tally.total)
        #expect(rate >= (tally.label == "flag" ? 0.9 : 0.97), "\(family): \(tally.right)/\(tally.total)")
    }
}

@Test("The development set's CSV and CEB621 XML give the same decisions, parcel for parcel")
func developmentSetFormatsAgree() throws {
    let csvPath = devset.appendingPathComponent("parcels.csv").path
    let xmlPath = devset.appendingPathComponent("parcels-ceb621.xml").path
    guard FileManager.default.fileExists(atPath: xmlPath) else {
        Issue.record("the development set is missing at \(devset.path)")
        return
    }
    let register = try RegisterLoader.load(path: devset.appendingPathComponent("register.yaml").path).register
    let classes = try NiceClassTableLoader.load(path: root.appendingPathComponent("Rules/hs-nice.yaml").path)
    let screener = Screener(register: register, niceClasses: classes)
    func decisions(_ path: String) throws -> [String] {
        try ManifestSource(path: path).map { record in
            switch record {
            case .parcel(let parcel, _): DecisionJSON.line(screener.screen(parcel))
            case .error(let error): "error \(error)"
            }
        }
    }
    let fromCSV = try decisions(csvPath), fromXML = try decisions(xmlPath)
    #expect(fromCSV.count == 3_000)
    #expect(fromCSV.count == fromXML.count)
    for (csv, xml) in zip(fromCSV, fromXML) where csv != xml {
        Issue.record("CSV and XML differ:\n\(csv)\n\(xml)")
        break
    }
}
