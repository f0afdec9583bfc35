/// Edit distances for verifying fuzzy candidates.
///
/// `osa` is the optimal string alignment distance (Levenshtein plus transposition of two adjacent
/// characters, each substring edited once): `hauwei` is one edit from `huawei`. Bit-parallel (Hyyrö's
/// extension of Myers' algorithm) when the first string is at most 64 bytes, a plain dynamic programme
/// otherwise.
public enum EditDistance {
    /// OSA distance between two byte strings.
    public static func osa(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in osa(a, b) } }
    }

    /// OSA distance between two byte strings; allocates nothing when `a` is at most 64 bytes.
    public static func osa(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        if a.count > 64 { return osaTable(Array(a), Array(b)) }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { peq in
            // Only the entries of bytes that occur are ever read: clear those, then set a's positions.
            for byte in b { peq[Int(byte)] = 0 }
            for byte in a { peq[Int(byte)] = 0 }
            for (index, byte) in a.enumerated() { peq[Int(byte)] |= 1 << UInt64(index) }
            let mask: UInt64 = a.count == 64 ? ~0 : (1 << UInt64(a.count)) - 1
            let last: UInt64 = 1 << UInt64(a.count - 1)
            var vp = mask, vn: UInt64 = 0
            var previousD0: UInt64 = 0, previousPM: UInt64 = 0
            var score = a.count
            for byte in b {
                let pm = peq[Int(byte)]
                let tr = (((~previousD0) & pm) << 1) & previousPM
                let d0 = ((((pm & vp) &+ vp) ^ vp) | pm | vn | tr) & mask
                var hp = (vn | ~(d0 | vp)) & mask
                var hn = d0 & vp
                if hp & last != 0 { score += 1 } else if hn & last != 0 { score -= 1 }
                hp = ((hp << 1) | 1) & mask
                hn = (hn << 1) & mask
                vp = (hn | ~(d0 | hp)) & mask
                vn = hp & d0
                previousD0 = d0
                previousPM = pm
            }
            return score
        }
    }

    /// The same distance by the textbook table (the reference the bit-parallel form is tested against).
    public static func osaTable(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = a.count, m = b.count
        if n == 0 { return m }
        if m == 0 { return n }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in 0...n { rows[i][0] = i }
        for j in 0...m { rows[0][j] = j }
        for i in 1...n {
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, rows[i - 2][j - 2] + 1)
                }
                rows[i][j] = best
            }
        }
        return rows[n][m]
    }
}
