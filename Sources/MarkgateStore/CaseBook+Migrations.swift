import GRDB

extension CaseBook {
    /// The schema, as named migrations that are only ever appended to (never edited once released).
    ///
    /// `v1-case-book`: `texts` (register and rules texts, once per hash), `runs`, `decisions` and `reviews`
    /// (each a hash chain), `sources` (how many records of each source are held, and the last ordinal, moved at
    /// each commit: what `--resume` reads and what keeps a record from being held twice; a UNIQUE index on
    /// `(source_id, ordinal)` did the same at 0.7 µs a row), `audit_head` (the head of each chain, rewritten at
    /// each commit), and triggers that
    /// refuse UPDATE and DELETE on the chained tables and on `texts`. The triggers keep honest programs from
    /// rewriting history; they are no protection against someone who can drop them, which is what the chains
    /// are for.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-case-book") { db in
            try db.execute(sql: """
                CREATE TABLE texts (
                    hash TEXT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('register', 'rules')),
                    content BLOB NOT NULL,
                    stored TEXT NOT NULL
                );
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    started TEXT NOT NULL,
                    sources TEXT NOT NULL,
                    register_hash TEXT,
                    rules_hash TEXT,
                    tool_version TEXT NOT NULL,
                    resumed INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE decisions (
                    seq INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL,
                    parcel TEXT,
                    source TEXT NOT NULL,
                    source_id TEXT NOT NULL,
                    ordinal INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    score REAL,
                    decision_json TEXT NOT NULL,
                    parcel_json TEXT,
                    recorded TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    row_hash TEXT NOT NULL
                );
                CREATE TABLE sources (
                    source_id TEXT PRIMARY KEY,
                    records INTEGER NOT NULL,
                    last_ordinal INTEGER NOT NULL
                );
                CREATE INDEX decisions_by_parcel ON decisions (parcel, seq);
                CREATE TABLE reviews (
                    seq INTEGER PRIMARY KEY,
                    parcel TEXT NOT NULL,
                    decision_seq INTEGER NOT NULL,
                    verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false-alarm')),
                    note TEXT NOT NULL,
                    reviewer TEXT NOT NULL,
                    recorded TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    row_hash TEXT NOT NULL
                );
                CREATE INDEX reviews_by_parcel ON reviews (parcel, seq);
                CREATE TABLE audit_head (
                    chain TEXT PRIMARY KEY CHECK (chain IN ('decisions', 'reviews')),
                    seq INTEGER NOT NULL,
                    row_hash TEXT NOT NULL,
                    updated TEXT NOT NULL
                );
                """)
            for table in ["decisions", "reviews", "texts"] {
                for action in ["UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER \(table)_append_only_\(action.lowercased()) BEFORE \(action) ON \(table)
                        BEGIN SELECT RAISE(ABORT, 'the case book is append-only: \(table) rows are never changed');
                        END
                        """)
                }
            }
        }
        return migrator
    }
}
