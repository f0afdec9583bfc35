/// What `CaseBook.verify` found: the length and head of each chain, and the first problem in each.
///
/// `isIntact` is true when there is no problem. A problem names the table, the seq and parcel of the row, what
/// is wrong (`Problem.Kind`) and a sentence saying why.
public struct AuditReport: Sendable, CustomStringConvertible {
    /// One thing found wrong.
    public struct Problem: Sendable, CustomStringConvertible {
        /// What is wrong with the row.
        public enum Kind: String, Sendable {
            /// A column no longer matches the row's hash (or the hash was changed).
            case altered
            /// Rows are missing: a gap in the seqs, or the chain ends before its recorded head.
            case removed
            /// A row is at a place in the chain it was not written at (rows swapped or moved).
            case reordered
            /// Rows after the recorded head, which markgate did not commit.
            case added
            /// The recorded head itself does not match the chain.
            case head
            /// A review names a decision that is not there, or one of another parcel.
            case reference
        }

        public var table: String
        public var seq: Int64?
        public var parcel: String?
        public var kind: Kind
        public var detail: String

        public var description: String {
            var place = table
            if let seq { place += " seq \(seq)" }
            if let parcel { place += " (parcel \(parcel))" }
            return "\(place): \(kind.rawValue): \(detail)"
        }
    }

    /// A chain's extent as walked: rows, last seq and its row hash.
    public struct Chain: Sendable {
        public var rows = 0
        public var lastSeq: Int64 = 0
        public var headHash = ChainHasher.genesis
    }

    public var decisions = Chain()
    public var reviews = Chain()
    public var texts = 0
    public var problems: [Problem] = []

    public var isIntact: Bool { problems.isEmpty }

    public var description: String {
        if let problem = problems.first {
            return (["tampered: " + problem.description] + problems.dropFirst().map { "also: \($0)" })
                .joined(separator: "\n")
        }
        return "intact: decisions \(decisions.rows) (head seq \(decisions.lastSeq), \(decisions.headHash)), "
            + "reviews \(reviews.rows) (head seq \(reviews.lastSeq), \(reviews.headHash)), texts \(texts)"
    }
}
