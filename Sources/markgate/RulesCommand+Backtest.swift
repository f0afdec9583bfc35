import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO
import MarkgateStore

extension RulesCommand {
    /// `markgate rules backtest --labels LABELS.csv MANIFEST…`: how the rules score against labelled parcels.
    struct Backtest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Screen labelled manifests and report precision, recall, false alarms and each signal's part.",
            discussion: """
                Counts as shared/devset/score.py does: a parcel labelled flag is caught when its decision is \
                review or inspect and a hit names the labelled mark; one labelled clear is a false alarm when it \
                is flagged. Prints the rates, the confusion of labels with decisions, each family, and for each \
                signal where it fired and how often it was decisive (the parcel would not be flagged without it). \
                With --db instead of --labels and manifests, the case book's reviewed parcels are the labelled set: \
                each verdict in force is a label (confirmed = flag with the mark the decision hit, false-alarm = \
                clear) and the stored parcel data is screened again under the rules given, so an analyst sees what \
                a change of rules does to the reviewed cases.
                """
        )

        @Option(name: .long, help: "Labels CSV: parcel_id,label (flag|clear|skip),mark,family.",
                completion: .file(extensions: ["csv"]))
        var labels: String?

        @Option(name: .long, help: "Use the reviewed parcels of this case book (screen --db) as the labelled set.",
                completion: .file(extensions: ["db", "sqlite"]))
        var db: String?

        @Argument(help: "Manifest files (CSV, JSON Lines, XML; .gz or not), with --labels.", completion: .file())
        var files: [String] = []

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var registerOptions: RegisterOptions
        @OptionGroup var hsTable: HSTableOptions

        @Flag(name: .long, help: "Print the report as one JSON object.")
        var json = false

        func validate() throws {
            if (labels == nil) == (db == nil) { throw ValidationError("give either --labels LABELS.csv or --db PATH") }
            if labels != nil && files.isEmpty { throw ValidationError("--labels needs the manifests it labels") }
            if db != nil && !files.isEmpty {
                throw ValidationError("--db replays the case book's parcels: no manifests")
            }
        }

        func run() throws {
            let rules = try rulesOptions.load()
            let screener = Screener(register: try registerOptions.load(), niceClasses: try hsTable.load(),
                                    rules: rules.rules)
            if let db {
                try runOnCaseBook(db, screener: screener, rules: rules)
                return
            }
            let labels = self.labels ?? ""
            let read: (labels: [String: MarkgateCore.Backtest.Label], diagnostics: [Diagnostic])
            do {
                read = try LabelsReader.read(path: labels)
            } catch {
                standardError("markgate: \(error)")
                throw ExitCode(2)
            }
            for diagnostic in read.diagnostics { standardError(diagnostic.description) }
            if read.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(2) }

            let sources = try files.map { try ManifestInput.open($0) }
            report(screening: sources, with: screener, labels: read.labels, rules: rules)
        }
    }
}

extension RulesCommand.Backtest {
    /// `--db`: the reviewed parcels' stored data screened again, scored against their verdicts.
    func runOnCaseBook(_ path: String, screener: Screener, rules: RulesOptions.Loaded) throws {
        let cases = try caseBook { () throws(CaseBookError) in
            ReviewedCases(try CaseBook(existing: path).verdicts())
        }
        if cases.skipped > 0 { standardError("markgate: \(cases.skipped) verdicts on error records left out") }
        report(screening: [ManifestSource(bytes: cases.manifest, file: path)], with: screener, labels: cases.labels,
               rules: rules)
    }

    /// Screens `sources` in order and prints the backtest of their decisions against `labels`.
    func report(screening sources: [ManifestSource], with screener: Screener, labels: [String: MarkgateCore.Backtest.Label],
                rules: RulesOptions.Loaded) {
        var decisions: [Decision] = []
        var errors = 0
        for records in sources {
            ScreeningPipeline(screener: screener, batchSize: 512).run(records) { outcome in
                switch outcome {
                case .decision(let decision, _): decisions.append(decision)
                case .error: errors += 1
                }
                return true
            }
        }
        let report = MarkgateCore.Backtest(decisions: decisions, labels: labels, review: rules.rules.review)
        print(json ? BacktestReport.json(report, rulesHash: rules.hash, errors: errors)
                   : BacktestReport.text(report, rulesHash: rules.hash, parcels: decisions.count, errors: errors))
    }
}

/// The backtest report, as text for analysts or as JSON.
enum BacktestReport {
    static func text(_ report: MarkgateCore.Backtest, rulesHash: String, parcels: Int, errors: Int) -> String {
        var lines: [String] = []
        lines.append("rules \(rulesHash): \(parcels) parcels screened, \(errors) unreadable records")
        lines.append(String(format: "recall %.4f  false-alarm rate %.4f  precision %.4f", report.recall,
                            report.falseAlarmRate, report.precision)
            + "  (caught \(report.truePositives), missed \(report.falseNegatives) of which wrong mark "
            + "\(report.wrongMark), false alarms \(report.falsePositives), quiet \(report.trueNegatives), "
            + "no decision \(report.missing))")
        lines.append("")
        let verdicts = ["clear", "review", "inspect", "missing"]
        lines.append(row(["label \\ decision"] + verdicts, widths: [18, 9, 9, 9, 9]))
        for kind in [MarkgateCore.Backtest.Label.Kind.flag, .clear] {
            let counts = report.counts[kind] ?? [:]
            lines.append(row([kind.rawValue] + verdicts.map { String(counts[$0] ?? 0) }, widths: [18, 9, 9, 9, 9]))
        }
        lines.append("")
        lines.append(row(["family", "right", "total", "share"], widths: [24, 7, 7, 8]))
        for (family, tally) in report.families.sorted(by: { $0.key < $1.key }) {
            lines.append(row([family, String(tally.right), String(tally.total),
                              String(format: "%.3f", Double(tally.right) / Double(max(1, tally.total)))],
                             widths: [24, 7, 7, 8]))
        }
        lines.append("")
        let widths = [24, 8, 10, 8, 7, 8, 10, 7, 9]
        lines.append(row(["signal", "caught", "decisive", "missed", "false", "decisive", "quiet",
                          "weight"], widths: widths))
        lines.append(row(["", "", "(catches)", "", "alarms", "(alarms)", "", "(sum)"], widths: widths))
        for contribution in report.signals.values.sorted(by: { $0.signal < $1.signal }) {
            lines.append(row([contribution.signal, String(contribution.caught), String(contribution.decisiveCatches),
                              String(contribution.missed), String(contribution.falseAlarms),
                              String(contribution.decisiveFalseAlarms), String(contribution.quiet),
                              String(format: "%.2f", contribution.totalWeight)], widths: widths))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: MarkgateCore.Backtest, rulesHash: String, errors: Int) -> String {
        var object: [String: Any] = [
            "rules": rulesHash, "recall": report.recall, "fpr": report.falseAlarmRate, "precision": report.precision,
            "tp": report.truePositives, "fn": report.falseNegatives, "fp": report.falsePositives,
            "tn": report.trueNegatives, "wrong_mark": report.wrongMark, "lost": report.missing, "errors": errors,
        ]
        object["confusion"] = Dictionary(uniqueKeysWithValues: report.counts.map { ($0.key.rawValue, $0.value) })
        object["families"] = report.families.mapValues { Double($0.right) / Double(max(1, $0.total)) }
        object["signals"] = Dictionary(uniqueKeysWithValues: report.signals.map { signal, contribution in
            (signal, ["caught": contribution.caught, "decisive_catches": contribution.decisiveCatches,
                      "missed": contribution.missed, "false_alarms": contribution.falseAlarms,
                      "decisive_false_alarms": contribution.decisiveFalseAlarms, "quiet": contribution.quiet,
                      "total_weight": contribution.totalWeight] as [String: Any])
        })
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Columns padded to `widths`, the first left-aligned and the others right-aligned.
    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + padding : padding + cell
        }.joined(separator: " ")
    }
}
