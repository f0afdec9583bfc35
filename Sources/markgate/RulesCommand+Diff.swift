import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

extension RulesCommand {
    /// `markgate rules diff OLD.yaml NEW.yaml MANIFEST…`: what a change of rules does (shadow mode).
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Screen manifests under two rules files and list the parcels whose decision changes.",
            discussion: """
                Each parcel is screened under both files (same register and HS table). Prints every parcel whose \
                verdict changes, with its score and reasons before and after, then the counts by change \
                (`review → clear: 12`) and how many parcels changed only in score. With --json, one JSON object \
                per changed parcel and a last summary object. Exit status 0 whatever changed; 2 when a rules \
                file, the register or a manifest cannot be loaded.
                """
        )

        @Argument(help: "The rules in force.", completion: .file(extensions: ["yaml", "yml"]))
        var old: String

        @Argument(help: "The proposed rules.", completion: .file(extensions: ["yaml", "yml"]))
        var new: String

        @Argument(help: "Manifest files (CSV, JSON Lines, XML; .gz or not).", completion: .file())
        var files: [String]

        @OptionGroup var registerOptions: RegisterOptions
        @OptionGroup var hsTable: HSTableOptions

        @Flag(name: .long, help: "JSON Lines: one object per changed parcel, then a summary object.")
        var json = false

        func run() throws {
            let before = try RulesOptions(explicit: old).load()
            let after = try RulesOptions(explicit: new).load()
            let register = try registerOptions.load()
            let classes = try hsTable.load()
            let screenerBefore = Screener(register: register, niceClasses: classes, rules: before.rules)
            let screenerAfter = Screener(register: register, niceClasses: classes, rules: after.rules)
            var diff = RulesDiff()
            for file in files {
                let records = try ManifestInput.open(file)
                ScreeningPipeline(screener: screenerBefore, batchSize: 512).map(records, { record -> (Decision, Decision)? in
                    guard case .parcel(let parcel, _) = record else { return nil }
                    return (screenerBefore.screen(parcel), screenerAfter.screen(parcel))
                }, emit: { pair in
                    if let (before, after) = pair {
                        let changed = diff.changes.count
                        diff.add(before: before, after: after)
                        if diff.changes.count > changed { print(Self.render(diff.changes[changed], json: json)) }
                    }
                    return true
                })
            }
            print(Self.summary(diff, before: before.hash, after: after.hash, json: json))
        }

        static func render(_ change: RulesDiff.Change, json: Bool) -> String {
            if json {
                var before = [UInt8](), after = [UInt8]()
                DecisionJSON.append(change.before, to: &before)
                DecisionJSON.append(change.after, to: &after)
                return "{\"parcel\":\(DecisionJSON.string(change.parcel)),\"change\":\(DecisionJSON.string(change.label)),"
                    + "\"before\":\(String(decoding: before, as: UTF8.self)),"
                    + "\"after\":\(String(decoding: after, as: UTF8.self))}"
            }
            var lines = ["\(change.parcel): \(change.label) (score \(DecisionJSON.number(change.before.score)) → "
                            + "\(DecisionJSON.number(change.after.score)))"]
            for (label, decision) in [("before", change.before), ("after", change.after)] {
                for reason in decision.reasons {
                    lines.append("  \(label) +\(DecisionJSON.number(reason.weight)) \(reason.rule): \(reason.detail)")
                }
            }
            return lines.joined(separator: "\n")
        }

        static func summary(_ diff: RulesDiff, before: String, after: String, json: Bool) -> String {
            let counts = diff.counts.sorted { $0.key < $1.key }
            if json {
                let byChange = counts.map { "\(DecisionJSON.string($0.key)):\($0.value)" }.joined(separator: ",")
                return "{\"summary\":{\"old\":\(DecisionJSON.string(before)),\"new\":\(DecisionJSON.string(after)),"
                    + "\"parcels\":\(diff.parcels),\"changed\":\(diff.changes.count),\"score_only\":\(diff.scoreOnly),"
                    + "\"by_change\":{\(byChange)}}}"
            }
            var lines = ["", "rules \(before) → \(after): \(diff.parcels) parcels, \(diff.changes.count) change "
                            + "decision, \(diff.scoreOnly) change score only"]
            for (change, count) in counts { lines.append("  \(change): \(count)") }
            return lines.joined(separator: "\n")
        }
    }
}
