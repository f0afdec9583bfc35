import Foundation
import GRDB
import MarkgateCore
import MarkgateIO

/// The case book: every decision with its parcel, the register and rules it was made with, and reviewers'
/// verdicts, in SQLite (WAL), each table of decisions and verdicts a hash chain (`ChainHasher`).
///
/// Thread-safe and `Sendable`: one `CaseBook` may be shared by every thread of a server. Writes are serialized
/// by GRDB's writer, and each `record` call reads the chain head, appends its rows and moves the head in one
/// transaction, so concurrent callers never fork the chain. Batches make recording cheap: one transaction and
/// one head update per call, with a prepared statement reused for every row.
///
/// ```swift
/// let book = try CaseBook(path: "casebook.db")
/// let run = try book.beginRun(CaseBook.RunInfo(sources: ["m.csv"], registerHash: …, rulesHash: …))
/// try book.record(DecisionBatch(runID: run, source: "m.csv", sourceID: id, firstOrdinal: 0, entries: entries))
/// let report = try book.verify()
/// ```
public final class CaseBook: Sendable {
    /// The database file (`:memory:` for an in-memory book).
    public let path: String
    let writer: any DatabaseWriter

    /// Opens the case book at `path`, creating it when it does not exist, and brings its schema up to date.
    ///
    /// WAL journal with `synchronous = NORMAL`: a commit survives the process being killed (SIGKILL) at any
    /// point; the last commits before a power loss may be lost, never half-written.
    public init(path: String) throws(CaseBookError) {
        self.path = path
        do {
            writer = try DatabasePool(path: path, configuration: Self.configuration())
            try Self.migrator.migrate(writer)
        } catch {
            throw .cannotOpen(path, "\(error)")
        }
    }

    /// Opens an existing case book without creating or changing anything; fails when `path` is missing or is
    /// not a case book.
    public init(existing path: String) throws(CaseBookError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw .cannotOpen(path, "no such file") }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration())
        } catch {
            throw .cannotOpen(path, "\(error)")
        }
        let migrated: Bool
        do {
            migrated = try pool.read { db in try Self.migrator.hasCompletedMigrations(db) }
        } catch {
            throw .cannotOpen(path, "\(error)")
        }
        guard migrated else { throw .notACaseBook(path) }
        writer = pool
    }

    /// A case book in memory, for tests.
    public init(inMemory: Void = ()) throws(CaseBookError) {
        path = ":memory:"
        do {
            writer = try DatabaseQueue(configuration: Self.configuration())
            try Self.migrator.migrate(writer)
        } catch {
            throw .cannotOpen(path, "\(error)")
        }
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // 32 KiB pages for a new book (rows are about 1.4 KB; larger pages mean a write per 20 rows, not per
            // 3, measured 10.1 → … µs a row); an existing book keeps its page size. Runs before GRDB turns WAL on.
            try db.execute(sql: "PRAGMA page_size = 32768")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    // MARK: - Runs

    /// What a screening run was made with: its sources, the register and rules (hash and text), the tool.
    public struct RunInfo: Sendable {
        public var sources: [String]
        public var registerHash: String?
        /// What `registerHash` hashes (`ContentHash.registerBytes`); stored once per hash.
        public var registerText: [UInt8]?
        public var rulesHash: String?
        /// The rules file's bytes (or the built-in rules' canonical text); stored once per hash.
        public var rulesText: [UInt8]?
        public var toolVersion: String
        /// Whether the run continues an interrupted one (`--resume`).
        public var resumed: Bool

        public init(sources: [String], registerHash: String?, registerText: [UInt8]? = nil, rulesHash: String?,
                    rulesText: [UInt8]? = nil, toolVersion: String, resumed: Bool = false) {
            self.sources = sources
            self.registerHash = registerHash
            self.registerText = registerText
            self.rulesHash = rulesHash
            self.rulesText = rulesText
            self.toolVersion = toolVersion
            self.resumed = resumed
        }
    }

    /// Starts a run: stores the register and rules texts (once per hash) and returns the run's id.
    public func beginRun(_ run: RunInfo) throws(CaseBookError) -> Int64 {
        try write { db in
            let now = DecisionEntry.now()
            for (kind, hash, text) in [("register", run.registerHash, run.registerText),
                                       ("rules", run.rulesHash, run.rulesText)] {
                guard let hash, let text else { continue }
                try db.execute(sql: "INSERT OR IGNORE INTO texts (hash, kind, content, stored) VALUES (?, ?, ?, ?)",
                               arguments: [hash, kind, Data(text), now])
            }
            let sources = run.sources.map(DecisionJSON.string).joined(separator: ",")
            try db.execute(sql: """
                INSERT INTO runs (started, sources, register_hash, rules_hash, tool_version, resumed)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [now, "[" + sources + "]", run.registerHash, run.rulesHash, run.toolVersion,
                                 run.resumed ? 1 : 0])
            return db.lastInsertedRowID
        }
    }

    // MARK: - Decisions

    /// How much of a source the case book holds: its rows and the last ordinal (nil when none).
    ///
    /// Rows of a source are committed in input order, so every ordinal up to `lastOrdinal` is there;
    /// `--resume` skips `lastOrdinal + 1` records.
    public func sourceProgress(sourceID: String) throws(CaseBookError) -> (records: Int, lastOrdinal: Int64?) {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT records, last_ordinal FROM sources WHERE source_id = ?",
                                       arguments: [sourceID])
            return (row?[0] ?? 0, row?[1])
        }
    }

    /// Appends a batch of decisions (or error records) to the chain in one transaction and moves the head;
    /// returns the seqs given to them (nil for an empty batch).
    ///
    /// Fails, recording nothing, unless the batch continues its source exactly (its first ordinal is one past
    /// the last one held, or 0 for a new source): no record is held twice, none is skipped.
    @discardableResult
    public func record(_ batch: DecisionBatch) throws(CaseBookError) -> ClosedRange<Int64>? {
        guard !batch.entries.isEmpty else { return nil }
        return try write { db in
            let held = try Row.fetchOne(db, sql: "SELECT records, last_ordinal FROM sources WHERE source_id = ?",
                                        arguments: [batch.sourceID])
            let expected = held.map { ($0[1] as Int64) + 1 } ?? 0
            guard batch.firstOrdinal == expected else {
                throw CaseBookError.badRequest(batch.source, "the case book holds records 0…\(expected - 1) of "
                                               + "\(batch.source); a batch from record \(batch.firstOrdinal) would "
                                               + (batch.firstOrdinal < expected ? "hold records twice" : "leave a gap"))
            }
            var (seq, prevHash) = try Self.head(db, chain: "decisions")
            let first = seq + 1
            let insert = try db.cachedStatement(sql: """
                INSERT INTO decisions (seq, run_id, parcel, source, source_id, ordinal, kind, score, decision_json,
                                       parcel_json, recorded, prev_hash, row_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            (seq, prevHash) = try Self.insertDecisions(insert, batch: batch, afterSeq: seq, prevHash: prevHash)
            try Self.moveHead(db, chain: "decisions", seq: seq, hash: prevHash)
            try db.execute(sql: """
                INSERT INTO sources (source_id, records, last_ordinal) VALUES (?, ?, ?)
                ON CONFLICT (source_id) DO UPDATE SET records = records + excluded.records,
                                                      last_ordinal = excluded.last_ordinal
                """, arguments: [batch.sourceID, batch.entries.count, expected + Int64(batch.entries.count) - 1])
            return first...seq
        }
    }

    /// The head of a chain, as `audit_head` holds it: last seq (0 when empty) and its row hash (genesis).
    static func head(_ db: Database, chain: String) throws -> (seq: Int64, hash: String) {
        let row = try Row.fetchOne(db, sql: "SELECT seq, row_hash FROM audit_head WHERE chain = ?", arguments: [chain])
        guard let row else { return (0, ChainHasher.genesis) }
        return (row[0], row[1])
    }

    static func moveHead(_ db: Database, chain: String, seq: Int64, hash: String) throws {
        try db.execute(sql: """
            INSERT INTO audit_head (chain, seq, row_hash, updated) VALUES (?, ?, ?, ?)
            ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, row_hash = excluded.row_hash,
                                              updated = excluded.updated
            """, arguments: [chain, seq, hash, DecisionEntry.now()])
    }

    /// The identity of a manifest file for `--resume`: `sha256:` and the digest of its bytes (as stored, gzip or
    /// not). The same content under another path is the same source; a changed file is another source.
    public static func sourceID(path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256.Hasher()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(chunk)
            }
        } catch {
            return nil
        }
        return "sha256:" + hasher.finalizeHex()
    }

    // MARK: - Access

    func write<T>(_ body: (Database) throws -> T) throws(CaseBookError) -> T {
        do {
            return try writer.write(body)
        } catch let error as CaseBookError {
            throw error
        } catch {
            throw .database(path, error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(CaseBookError) -> T {
        do {
            return try writer.read(body)
        } catch let error as CaseBookError {
            throw error
        } catch {
            throw .database(path, error)
        }
    }
}

/// Decisions of one source, consecutive in it, to be recorded in one transaction (`CaseBook.record`).
public struct DecisionBatch: Sendable {
    public var runID: Int64
    /// The source as the user named it (a path, `-`, a request).
    public var source: String
    /// What identifies the source across runs (`CaseBook.sourceID(path:)`); unique with the ordinal.
    public var sourceID: String
    /// The ordinal (0-based position among the source's records) of the first entry.
    public var firstOrdinal: Int64
    public var entries: [DecisionEntry]

    public init(runID: Int64, source: String, sourceID: String, firstOrdinal: Int64, entries: [DecisionEntry]) {
        self.runID = runID
        self.source = source
        self.sourceID = sourceID
        self.firstOrdinal = firstOrdinal
        self.entries = entries
    }
}

extension CaseBook {
    /// The head of the decisions chain as `audit_head` holds it: last seq (0 when empty) and its row hash.
    public func decisionsHead() throws(CaseBookError) -> (seq: Int64, hash: String) {
        try read { db in try Self.head(db, chain: "decisions") }
    }
}
