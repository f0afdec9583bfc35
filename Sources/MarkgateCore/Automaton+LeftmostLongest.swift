extension Automaton {
    /// Haystacks at least this long are scanned with two interleaved cursors.
    static let interleaveThreshold = 256

    /// The matches markgate screens with: word boundaries honoured, then leftmost-longest, non-overlapping.
    ///
    /// A pattern that begins (ends) with a letter needs a non-letter before (after) it, and likewise for
    /// digits; CJK characters need nothing. So `apple` does not match in `pineapple`, `nike` does in
    /// `nike2024` and in `正品nike鞋`, and `耐克` does in `正品耐克鞋`. Among the occurrences that pass, the one
    /// starting leftmost wins, the longest of those; scanning resumes after its end.
    /// `matches` is replaced; its storage is reused.
    ///
    /// Many short texts are best scanned as one haystack joined by `\n` (no pattern holds a newline, and it
    /// is a boundary): matches are then exactly those of each text, with offsets into the whole.
    public func leftmostLongest(in bytes: UnsafeBufferPointer<UInt8>, into matches: inout [Match]) {
        matches.removeAll(keepingCapacity: true)
        collectCandidates(in: bytes, into: &matches)
        guard matches.count > 1 else { return }
        matches.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        var kept = 0
        var reach = 0
        for match in matches where match.start >= reach {
            matches[kept] = match
            kept += 1
            reach = match.end
        }
        matches.removeSubrange(kept...)
    }

    /// `leftmostLongest` over an array of bytes.
    public func leftmostLongest(in bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        bytes.withUnsafeBufferPointer { leftmostLongest(in: $0, into: &matches) }
        return matches
    }

    /// Every occurrence, overlapping, without boundary rules (for tests and diagnostics).
    public func allMatches(in bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        bytes.withUnsafeBufferPointer { buffer in forEachMatch(in: buffer) { matches.append($0) } }
        return matches
    }

    /// Appends every occurrence that passes the word boundaries, in no particular order.
    ///
    /// A long haystack is cut at its middle and both halves are scanned in one loop, so that the two
    /// chains of dependent table loads overlap. The second cursor starts from the root at the middle and
    /// finds exactly the occurrences starting there or later; the first runs `maxPatternLength - 1` bytes
    /// past the middle and keeps those starting before it.
    func collectCandidates(in bytes: UnsafeBufferPointer<UInt8>, into matches: inout [Match]) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let t = tables
        let count = bytes.count
        var eventsA: [MatchEvent] = []
        var stateA: UInt32 = 0
        var middle = count
        if count >= Self.interleaveThreshold, count >= 4 * t.maxPatternLength {
            middle = count / 2
            let firstEnd = min(count, middle + max(t.maxPatternLength - 1, 0))
            let together = min(firstEnd, count - middle)
            var eventsB: [MatchEvent] = []
            var stateB: UInt32 = 0
            t.run(base, base + middle, count: together, offsetA: 0, offsetB: middle,
                  stateA: &stateA, stateB: &stateB, eventsA: &eventsA, eventsB: &eventsB)
            t.run(base + together, count: firstEnd - together, offset: together, state: &stateA, events: &eventsA)
            t.run(base + middle + together, count: count - middle - together, offset: middle + together,
                  state: &stateB, events: &eventsB)
            report(eventsB, startingBefore: count, in: bytes, into: &matches)
        } else {
            t.run(base, count: count, offset: 0, state: &stateA, events: &eventsA)
        }
        report(eventsA, startingBefore: middle, in: bytes, into: &matches)
    }

    private func report(_ events: [MatchEvent], startingBefore limit: Int, in bytes: UnsafeBufferPointer<UInt8>,
                        into matches: inout [Match]) {
        let t = tables
        for event in events {
            t.reportOutputs(of: event.state, endingAt: event.end) { match in
                if match.start < limit, Self.passesBoundaries(match, in: bytes, tables: t) { matches.append(match) }
            }
        }
    }

    static func passesBoundaries(_ match: Match, in bytes: UnsafeBufferPointer<UInt8>,
                                 tables: AutomatonTables) -> Bool {
        let first = tables.boundaryFirst[match.pattern]
        if first != 0, match.start > 0, wordClass(before: match.start, in: bytes) == first { return false }
        let last = tables.boundaryLast[match.pattern]
        if last != 0, match.end < bytes.count, wordClass(at: match.end, in: bytes) == last { return false }
        return true
    }
}

extension Automaton {
    /// Word classes for boundaries: 0 none (space, punctuation, CJK), 1 letter, 2 digit.
    static func wordClass(of scalar: UInt32) -> UInt8 {
        if scalar < 0x80 {
            switch scalar {
            case 0x61...0x7A, 0x41...0x5A: return 1
            case 0x30...0x39: return 2
            default: return 0
            }
        }
        guard ScriptClass.isWord(scalar) else { return 0 }
        return Unicode.Scalar(scalar)?.properties.isAlphabetic == true ? 1 : 2
    }

    static func wordClass(firstScalarOf bytes: [UInt8]) -> UInt8 {
        bytes.withUnsafeBufferPointer { wordClass(at: 0, in: $0) }
    }

    static func wordClass(lastScalarOf bytes: [UInt8]) -> UInt8 {
        bytes.withUnsafeBufferPointer { wordClass(before: $0.count, in: $0) }
    }

    /// The word class of the scalar starting at byte `index` (0 for invalid UTF-8 or the end).
    static func wordClass(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        guard index < bytes.count else { return 0 }
        let lead = bytes[index]
        if lead < 0x80 { return wordClass(of: UInt32(lead)) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0, index + length <= bytes.count else { return 0 }
        var value = UInt32(lead) & (0x7F >> length)
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return 0 }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return wordClass(of: value)
    }

    /// The word class of the scalar ending just before byte `index` (0 for invalid UTF-8 or the start).
    static func wordClass(before index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var start = index - 1
        while start >= 0, start > index - 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0 else { return 0 }
        let lead = bytes[start]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length == index - start else { return 0 }
        return wordClass(at: start, in: bytes)
    }
}
