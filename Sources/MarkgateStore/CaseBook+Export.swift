import GRDB
import MarkgateIO

extension CaseBook {
    /// Writes decisions `from...to` (seqs; the whole chain by default) as JSON Lines with their chain proof,
    /// then a sign-off line; returns the sign-off's fields.
    ///
    /// Each row line holds every column of the row (`decision` and `parcel_data` as the JSON objects they
    /// are; `score` as a string, the exact text `ChainHasher` hashes, since JSON parsers differ on the last digit
    /// of a double), so anyone can recompute each `row_hash` with `ChainHasher` and check that each `prev_hash` is the
    /// previous line's `row_hash`, from the first line's `prev_hash` to the sign-off's `head_hash`. The sign-off
    /// line (`{"signoff": {…}}`) gives the range, the count, the head hash, the register and rules hashes the
    /// rows were made with and the time. The head hash is the signature to be countersigned out of band (kept
    /// by a second party, a ticket, a signed e-mail): it is the external anchor against which any later change
    /// to the range, the tail included, shows. Call `verify` first: this only reads.
    public func export(from: Int64? = nil, to: Int64? = nil,
                       write: (String) -> Void) throws(CaseBookError) -> ExportSignOff {
        try read { db in
            let (headSeq, _) = try Self.head(db, chain: "decisions")
            let first = max(1, from ?? 1)
            let last = min(headSeq, to ?? headSeq)
            guard first <= last else {
                throw CaseBookError.badRequest("\(first)…\(last)", "the range \(first)…\(last) holds no decision "
                                               + "(the chain runs 1…\(headSeq))")
            }
            var signOff = ExportSignOff(from: first, to: last)
            var registers: Set<String> = [], rules: Set<String> = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT d.seq, d.prev_hash, d.row_hash, d.run_id, d.parcel, d.source, d.source_id, d.ordinal, d.kind,
                       d.score, d.decision_json, d.parcel_json, d.recorded, r.register_hash, r.rules_hash
                FROM decisions d LEFT JOIN runs r ON r.id = d.run_id
                WHERE d.seq BETWEEN ? AND ? ORDER BY d.seq
                """, arguments: [first, last])
            while let row = try rows.next() {
                let seq: Int64 = row[0]
                if signOff.count == 0 { signOff.firstPrevHash = row[1] }
                signOff.count += 1
                signOff.headHash = row[2]
                if let hash: String = row[13] { registers.insert(hash) }
                if let hash: String = row[14] { rules.insert(hash) }
                let score: Double? = row[9]
                var line = "{\"seq\":\(seq),\"prev_hash\":\(json(row[1])),\"row_hash\":\(json(row[2])),"
                line += "\"run_id\":\(row[3] as Int64),\"parcel\":\(json(row[4])),\"source\":\(json(row[5])),"
                line += "\"source_id\":\(json(row[6])),\"ordinal\":\(row[7] as Int64),\"kind\":\(json(row[8])),"
                line += "\"score\":\(json(score.map { String($0) })),\"recorded\":\(json(row[12])),"
                line += "\"decision\":\(row[10] as String),\"parcel_data\":\((row[11] as String?) ?? "null")}"
                write(line)
            }
            signOff.registers = registers.sorted()
            signOff.rules = rules.sorted()
            signOff.exported = DecisionEntry.now()
            write(signOff.line)
            return signOff
        }
    }
}

/// The last line of an export: what range it covers and the hash that closes it.
public struct ExportSignOff: Sendable {
    public var from: Int64
    public var to: Int64
    public var count = 0
    /// The `prev_hash` of the first row (the genesis value when the range starts at seq 1).
    public var firstPrevHash = ChainHasher.genesis
    /// The `row_hash` of the last row: the value to countersign.
    public var headHash = ChainHasher.genesis
    public var registers: [String] = []
    public var rules: [String] = []
    public var exported = ""

    /// `{"signoff": {…}}` on one line.
    public var line: String {
        let list = { (items: [String]) in "[" + items.map(DecisionJSON.string).joined(separator: ",") + "]" }
        return "{\"signoff\":{\"chain\":\"decisions\",\"from\":\(from),\"to\":\(to),\"count\":\(count),"
            + "\"first_prev_hash\":\(json(firstPrevHash)),\"head_hash\":\(json(headHash)),"
            + "\"registers\":\(list(registers)),\"rules\":\(list(rules)),\"exported\":\(json(exported)),"
            + "\"signature\":\"the head_hash, to be countersigned out of band\"}}"
    }
}

private func json(_ text: String?) -> String {
    text.map(DecisionJSON.string) ?? "null"
}
