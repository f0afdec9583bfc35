import GRDB

extension CaseBook {
    /// Records a verdict on the latest decision of `parcel`, as a new row of the reviews chain.
    ///
    /// Throws `unknownParcel` when no decision names the parcel.
    @discardableResult
    public func decide(parcel: String, verdict: ReviewVerdict, note: String,
                       reviewer: String) throws(CaseBookError) -> ReviewRecord {
        try write { db in
            guard let decisionSeq = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM decisions WHERE parcel = ?",
                                                       arguments: [parcel]) else {
                throw CaseBookError.unknownParcel(parcel)
            }
            let (last, prevHash) = try Self.head(db, chain: "reviews")
            let seq = last + 1
            let recorded = DecisionEntry.now()
            let rowHash = ChainHasher.reviewRow(seq: seq, prevHash: prevHash, parcel: parcel, decisionSeq: decisionSeq,
                                                verdict: verdict.rawValue, note: note, reviewer: reviewer,
                                                recorded: recorded)
            try db.execute(sql: """
                INSERT INTO reviews (seq, parcel, decision_seq, verdict, note, reviewer, recorded, prev_hash, row_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [seq, parcel, decisionSeq, verdict.rawValue, note, reviewer, recorded, prevHash,
                                 rowHash])
            try Self.moveHead(db, chain: "reviews", seq: seq, hash: rowHash)
            return ReviewRecord(seq: seq, parcel: parcel, decisionSeq: decisionSeq, verdict: verdict, note: note,
                                reviewer: reviewer, recorded: recorded, prevHash: prevHash, rowHash: rowHash)
        }
    }

    /// The latest decision on `parcel`, or nil when there is none.
    public func latestDecision(parcel: String) throws(CaseBookError) -> RecordedDecision? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE parcel = ? "
                             + "ORDER BY seq DESC LIMIT 1", arguments: [parcel]).map(Self.decision)
        }
    }

    /// The decision at `seq`, or nil.
    public func decision(seq: Int64) throws(CaseBookError) -> RecordedDecision? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE seq = ?",
                             arguments: [seq]).map(Self.decision)
        }
    }

    /// Every verdict on `parcel`, oldest first.
    public func reviews(parcel: String) throws(CaseBookError) -> [ReviewRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.reviewColumns) FROM reviews WHERE parcel = ? ORDER BY seq",
                             arguments: [parcel]).compactMap(Self.review)
        }
    }

    /// Each parcel's latest decision whose kind is in `kinds`, in seq order, with the latest verdict on that
    /// decision (nil when unreviewed).
    public func cases(kinds: [String]) throws(CaseBookError) -> [(decision: RecordedDecision, verdict: ReviewRecord?)] {
        try read { db in
            let marks = kinds.map { _ in "?" }.joined(separator: ", ")
            let decisions = try Row.fetchAll(db, sql: """
                SELECT \(Self.decisionColumns) FROM decisions
                WHERE seq IN (SELECT max(seq) FROM decisions WHERE parcel IS NOT NULL GROUP BY parcel)
                AND kind IN (\(marks)) ORDER BY seq
                """, arguments: StatementArguments(kinds)).map(Self.decision)
            var verdicts: [Int64: ReviewRecord] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(Self.reviewColumns) FROM reviews ORDER BY seq") {
                if let review = Self.review(row) { verdicts[review.decisionSeq] = review }
            }
            return decisions.map { ($0, verdicts[$0.seq]) }
        }
    }

    /// The verdict in force on each reviewed parcel (the latest), with the decision it rules on, by parcel.
    public func verdicts() throws(CaseBookError) -> [(review: ReviewRecord, decision: RecordedDecision)] {
        try read { db in
            var latest: [String: ReviewRecord] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(Self.reviewColumns) FROM reviews ORDER BY seq") {
                if let review = Self.review(row) { latest[review.parcel] = review }
            }
            var result: [(review: ReviewRecord, decision: RecordedDecision)] = []
            for review in latest.values.sorted(by: { $0.seq < $1.seq }) {
                if let row = try Row.fetchOne(db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE seq = ?",
                                              arguments: [review.decisionSeq]) {
                    result.append((review, Self.decision(row)))
                }
            }
            return result
        }
    }

    static let decisionColumns =
        "seq, run_id, parcel, source, ordinal, kind, score, decision_json, parcel_json, recorded"
    static let reviewColumns = "seq, parcel, decision_seq, verdict, note, reviewer, recorded, prev_hash, row_hash"

    static func decision(_ row: Row) -> RecordedDecision {
        RecordedDecision(seq: row[0], runID: row[1], parcel: row[2], source: row[3], ordinal: row[4], kind: row[5],
                         score: row[6], decisionJSON: row[7], parcelJSON: row[8], recorded: row[9])
    }

    static func review(_ row: Row) -> ReviewRecord? {
        guard let verdict = ReviewVerdict(rawValue: row[3]) else { return nil }
        return ReviewRecord(seq: row[0], parcel: row[1], decisionSeq: row[2], verdict: verdict, note: row[4],
                            reviewer: row[5], recorded: row[6], prevHash: row[7], rowHash: row[8])
    }
}
