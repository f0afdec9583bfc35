import CSQLite
import GRDB
import MarkgateIO

extension CaseBook {
    /// Chains and inserts a batch's decision rows after `seq` and `prevHash` through the prepared INSERT, with
    /// SQLite's C API; returns the last seq and row hash.
    ///
    /// This runs for every record screened with `--db`, so it allocates nothing per row: GRDB's arguments (an
    /// array of existential values per row) cost more than the insert itself, and each text bound with
    /// SQLITE_TRANSIENT is a `malloc` under SQLite's memory mutex. So every text is bound SQLITE_STATIC: the
    /// batch's source and source id once, from a scratch buffer that lives for the batch; each row's short texts
    /// copied into that buffer; its two hashes written there as hex by `ChainHasher`; its two long columns in
    /// place for the length of the step. The bindings are cleared before the buffer goes.
    static func insertDecisions(_ insert: Statement, batch: DecisionBatch, afterSeq: Int64,
                                prevHash: String) throws -> (seq: Int64, hash: String) {
        guard prevHash.utf8.count == 2 * SHA256.digestCount else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT,
                                message: "the head of the decisions chain is not a SHA-256 hash: \(prevHash)")
        }
        let statement = insert.sqliteStatement
        let source = batch.source.utf8.count, sourceID = batch.sourceID.utf8.count, hex = 2 * SHA256.digestCount
        let rowText = batch.entries.reduce(0) { longest, entry in
            max(longest, (entry.parcel?.utf8.count ?? 0) + entry.kind.utf8.count + entry.recordedTime.count)
        }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: source + sourceID + 2 * hex + rowText) {
            scratch throws -> (seq: Int64, hash: String) in
            var free = UnsafeMutableBufferPointer(rebasing: scratch[...])
            let sourceBytes = put(batch.source, in: &free)
            let sourceIDBytes = put(batch.sourceID, in: &free)
            var prevHex = take(hex, from: &free)
            var rowHex = take(hex, from: &free)
            _ = put(prevHash, in: &free, at: prevHex)
            let rowArea = free

            sqlite3_reset(statement)
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)   // no binding outlives the scratch buffer
            }
            sqlite3_bind_int64(statement, 2, batch.runID)
            bindStatic(statement, 4, sourceBytes)
            bindStatic(statement, 5, sourceIDBytes)
            var seq = afterSeq
            for (offset, entry) in batch.entries.enumerated() {
                seq += 1
                let ordinal = batch.firstOrdinal + Int64(offset)
                entry.contentDigest.withBytes { content in
                    ChainHasher.decisionRow(seq: seq, prevHash: UnsafeBufferPointer(prevHex), runID: batch.runID,
                                            source: sourceBytes, sourceID: sourceIDBytes, ordinal: ordinal,
                                            content: content, hexInto: rowHex)
                }
                var row = rowArea
                sqlite3_bind_int64(statement, 1, seq)
                bindStatic(statement, 3, entry.parcel.map { put($0, in: &row) })
                sqlite3_bind_int64(statement, 6, ordinal)
                bindStatic(statement, 7, put(entry.kind, in: &row))
                if let score = entry.score {
                    sqlite3_bind_double(statement, 8, score)
                } else {
                    sqlite3_bind_null(statement, 8)
                }
                bindStatic(statement, 11, entry.recordedTime.withBytes { put($0, in: &row) })
                bindStatic(statement, 12, UnsafeBufferPointer(prevHex))
                bindStatic(statement, 13, UnsafeBufferPointer(rowHex))
                let code = entry.decisionLine.withUnsafeBufferPointer { decision in
                    DecisionEntry.withBytes(entry.parcelData) { parcel in
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
                    throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                        message: "inserting decision seq \(seq)")
                }
                swap(&prevHex, &rowHex)
            }
            return (seq, String(decoding: UnsafeBufferPointer(prevHex), as: UTF8.self))
        }
    }

    /// Copies `text`'s UTF-8 bytes to the front of `free` (or to `at`), moves `free` past them, and returns them.
    private static func put(_ text: String, in free: inout UnsafeMutableBufferPointer<UInt8>,
                            at place: UnsafeMutableBufferPointer<UInt8>? = nil) -> UnsafeBufferPointer<UInt8> {
        var text = text
        return text.withUTF8 { put($0, in: &free, at: place) }
    }

    /// Copies `bytes` to the front of `free` (or to `at`), moves `free` past them, and returns the copy.
    private static func put(_ bytes: UnsafeBufferPointer<UInt8>, in free: inout UnsafeMutableBufferPointer<UInt8>,
                            at place: UnsafeMutableBufferPointer<UInt8>? = nil) -> UnsafeBufferPointer<UInt8> {
        let target = place ?? take(bytes.count, from: &free)
        precondition(target.count >= bytes.count, "CaseBook insert: text past its scratch buffer")
        if let base = bytes.baseAddress, !bytes.isEmpty {
            target.baseAddress!.update(from: base, count: bytes.count)
        }
        return UnsafeBufferPointer(rebasing: target[..<bytes.count])
    }

    /// The first `count` bytes of `free`, which then starts after them.
    private static func take(_ count: Int, from free: inout UnsafeMutableBufferPointer<UInt8>)
        -> UnsafeMutableBufferPointer<UInt8> {
        precondition(free.count >= count, "CaseBook insert: past its scratch buffer")
        let taken = UnsafeMutableBufferPointer(rebasing: free[..<count])
        free = UnsafeMutableBufferPointer(rebasing: free[count...])
        return taken
    }

    /// Binds `bytes` as text without a copy (SQLITE_STATIC; they must stay valid until the binding is replaced or
    /// cleared), or NULL for nil; `""` stays `""`, not NULL.
    private static func bindStatic(_ statement: OpaquePointer?, _ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else {
            sqlite3_bind_null(statement, index)
            return
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            _ = sqlite3_bind_text(statement, index, "", 0, transient)   // "", copied: the literal's pointer dies
            return
        }
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
            _ = sqlite3_bind_text(statement, index, pointer, Int32(bytes.count), nil)
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
