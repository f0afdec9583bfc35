import CSQLite
import GRDB

extension CaseBook {
    /// Binds one decision row to the prepared INSERT and runs it, through SQLite's C API: GRDB's arguments
    /// (an array of existential values per row) cost more than the insert itself on this path, which runs for
    /// every record screened with `--db`.
    static func insertDecision(_ insert: Statement, seq: Int64, batch: DecisionBatch, ordinal: Int64,
                               entry: DecisionEntry, prevHash: String, rowHash: String) throws {
        let statement = insert.sqliteStatement
        sqlite3_reset(statement)
        sqlite3_bind_int64(statement, 1, seq)
        sqlite3_bind_int64(statement, 2, batch.runID)
        bind(statement, 3, entry.parcel)
        bind(statement, 4, batch.source)
        bind(statement, 5, batch.sourceID)
        sqlite3_bind_int64(statement, 6, ordinal)
        bind(statement, 7, entry.kind)
        if let score = entry.score { sqlite3_bind_double(statement, 8, score) } else { sqlite3_bind_null(statement, 8) }
        bind(statement, 11, entry.recorded)
        bind(statement, 12, prevHash)
        bind(statement, 13, rowHash)
        // The two long columns (about 900 bytes a row) are bound without a copy, for the length of the step, and
        // unbound after it (no pointer outlives its string). Every other parameter is bound again for every row.
        let code = withText(entry.decisionJSON) { decision in
            withText(entry.parcelJSON) { parcel in
                bindStatic(statement, 9, decision)
                bindStatic(statement, 10, parcel)
                defer {
                    sqlite3_reset(statement)
                    sqlite3_bind_null(statement, 9)
                    sqlite3_bind_null(statement, 10)
                }
                return sqlite3_step(statement)
            }
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "inserting decision seq \(seq)")
        }
    }

    /// Binds `text` (copied by SQLite) or NULL.
    private static func bind(_ statement: OpaquePointer?, _ index: Int32, _ text: String?) {
        withText(text) { bindText(statement, index, $0, copied: true) }
    }

    /// Calls `body` with `text`'s UTF-8 bytes (nil for NULL).
    private static func withText<T>(_ text: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        guard var text else { return body(nil) }
        return text.withUTF8 { body($0) }
    }

    /// Binds `bytes` as text without a copy (SQLITE_STATIC): they must stay valid until the statement is reset.
    private static func bindStatic(_ statement: OpaquePointer?, _ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>?) {
        bindText(statement, index, bytes, copied: false)
    }

    /// Binds `bytes` as text, or NULL for nil; `""` stays `""`. SQLite copies them when `copied`
    /// (SQLITE_TRANSIENT), else reads them in place until the statement is reset (SQLITE_STATIC).
    private static func bindText(_ statement: OpaquePointer?, _ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>?,
                                 copied: Bool) {
        guard let bytes else {
            sqlite3_bind_null(statement, index)
            return
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            _ = sqlite3_bind_text(statement, index, "", 0, transient)   // "", not NULL
            return
        }
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
            _ = sqlite3_bind_text(statement, index, pointer, Int32(bytes.count), copied ? transient : nil)
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
