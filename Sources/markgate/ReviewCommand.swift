import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO
import MarkgateStore

/// `markgate review list|show|decide|promote`: reviewers' verdicts on recorded decisions.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List flagged parcels of the case book, show one, record a verdict, or allowlist a false alarm.",
        subcommands: [List.self, Show.self, Decide.self, Promote.self]
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case review, inspect, clear, error
    }
}

extension ReviewCommand {
    /// `markgate review list [--decision inspect|review] [--unreviewed]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each parcel's latest decision (review and inspect by default) and its verdict.",
            discussion: "One line per parcel: seq, parcel, decision, score, marks hit, verdict (or -)."
        )

        @OptionGroup var book: CaseBookOptions

        @Option(name: .long, help: "Only decisions of this kind (repeatable; default review and inspect).")
        var decision: [Kind] = []

        @Flag(name: .long, help: "Only parcels without a verdict on their latest decision.")
        var unreviewed = false

        func run() throws {
            let book = try book.open()
            let kinds = (decision.isEmpty ? [.review, .inspect] : decision).map(\.rawValue)
            let cases = try caseBook { () throws(CaseBookError) in try book.cases(kinds: kinds) }
            print(BacktestReport.row(["seq", "parcel", "decision", "score", "marks", "verdict"],
                                     widths: [8, 18, 9, 7, 20, 12]))
            var shown = 0
            for (decision, verdict) in cases where !unreviewed || verdict == nil {
                let marks = decision.markIDs.joined(separator: ",")
                print(BacktestReport.row([String(decision.seq), decision.parcel ?? "-", decision.kind,
                                          decision.score.map { String(format: "%.3f", $0) } ?? "-",
                                          marks.isEmpty ? "-" : marks, verdict?.verdict.rawValue ?? "-"],
                                         widths: [8, 18, 9, 7, 20, 12]))
                shown += 1
            }
            standardError("\(shown) parcels")
        }
    }

    /// `markgate review show PARCEL`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a parcel's latest decision, its parcel data and every verdict on it.",
            discussion: "Exit status 2 when the case book holds no decision for the parcel."
        )

        @OptionGroup var book: CaseBookOptions

        @Argument(help: "The parcel id.")
        var parcel: String

        func run() throws {
            let book = try book.open()
            let (decision, reviews) = try caseBook { () throws(CaseBookError) in
                guard let decision = try book.latestDecision(parcel: parcel) else {
                    throw CaseBookError.unknownParcel(parcel)
                }
                return (decision, try book.reviews(parcel: parcel))
            }
            print("parcel \(parcel): decision seq \(decision.seq), run \(decision.runID), "
                  + "\(decision.source) record \(decision.ordinal + 1), \(decision.recorded)")
            print("decision \(decision.decisionJSON)")
            print("parcel data \(decision.parcelJSON ?? "-")")
            if reviews.isEmpty { print("no verdict") }
            for review in reviews {
                print("verdict seq \(review.seq) on decision seq \(review.decisionSeq): \(review.verdict.rawValue) "
                      + "by \(review.reviewer) at \(review.recorded): \(review.note)")
            }
        }
    }

    /// `markgate review decide PARCEL confirmed|false-alarm --note TEXT [--reviewer NAME]`.
    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a verdict on a parcel's latest decision (a new row of the reviews chain).",
            discussion: """
                Verdicts are never updated: a later verdict on the same parcel is another row, and the latest \
                one is in force. Exit status 2 when the case book holds no decision for the parcel.
                """
        )

        @OptionGroup var book: CaseBookOptions

        @Argument(help: "The parcel id.")
        var parcel: String

        @Argument(help: "confirmed (infringing goods) or false-alarm.")
        var verdict: Verdict

        @Option(name: .long, help: "Why (kept with the verdict, and in an allowlist entry it is promoted to).")
        var note: String

        @Option(name: .long, help: "Who decides (default $USER).")
        var reviewer: String?

        enum Verdict: String, ExpressibleByArgument, CaseIterable {
            case confirmed
            case falseAlarm = "false-alarm"
        }

        func run() throws {
            let book = try book.open()
            let name = reviewer ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
            let review = try caseBook { () throws(CaseBookError) in
                try book.decide(parcel: parcel, verdict: ReviewVerdict(rawValue: verdict.rawValue)!, note: note,
                                reviewer: name)
            }
            print("verdict seq \(review.seq): \(parcel) \(review.verdict.rawValue) (decision seq "
                  + "\(review.decisionSeq)) by \(name); row hash \(review.rowHash)")
        }
    }
}

extension ReviewCommand {
    /// `markgate review promote PARCEL [--rules PATH]`: a false alarm becomes allowlist entries.
    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allowlist the consignor × marks of a parcel whose verdict in force is false-alarm.",
            discussion: """
                Adds one entry per mark hit by the parcel's reviewed decision, {consignor, mark, note} with the \
                reviewer's note, under `allowlist:` in the rules file; comments and every other line are kept. \
                The new file is loaded and validated before it replaces the old one (atomically). Exit status 2 \
                when the parcel is unknown, its verdict is not false-alarm, or the rules would not load.
                """
        )

        @OptionGroup var book: CaseBookOptions
        @OptionGroup var rulesOptions: RulesOptions

        @Argument(help: "The parcel id.")
        var parcel: String

        func run() throws {
            let book = try book.open()
            let path = rulesOptions.path
            let added = try caseBook { () throws(CaseBookError) in
                guard let review = try book.reviews(parcel: parcel).last else {
                    if try book.latestDecision(parcel: parcel) == nil { throw CaseBookError.unknownParcel(parcel) }
                    throw CaseBookError.badRequest(parcel, "parcel \(parcel) has no verdict; record one with "
                                                   + "`markgate review decide \(parcel) false-alarm --note …`")
                }
                guard let decision = try book.decision(seq: review.decisionSeq) else {
                    throw CaseBookError.unknownParcel(parcel)
                }
                let pairs = try AllowlistPromotion.pairs(review: review, decision: decision)
                return try AllowlistPromotion.promote(pairs, rulesPath: path)
            }
            if added.isEmpty { print("\(path): already allowlisted; nothing added") }
            for pair in added { print("\(path): allowlisted \(pair.consignor) × \(pair.mark)") }
        }
    }
}
