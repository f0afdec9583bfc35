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
        Self.sortByStartThenLongest(&matches)
        var kept = 0
        var reach = 0
        for match in matches where match.start >= reach {
            matches[kept] = match
            kept += 1
            reach = match.end
        }
        matches.removeSubrange(kept...)
    }

    /// Sorts by start, longest first among equal starts. Candidates arrive nearly in that order (lanes
    /// partition starts, and within a lane they come by end, so only overlapping ones are out of place):
    /// an insertion sort moves each of those a short way.
    static func sortByStartThenLongest(_ matches: inout [Match]) {
        func precedes(_ a: Match, _ b: Match) -> Bool { a.start != b.start ? a.start < b.start : a.end > b.end }
        for index in 1..<matches.count where precedes(matches[index], matches[index - 1]) {
            let moving = matches[index]
            var hole = index
            while hole > 0, precedes(moving, matches[hole - 1]) {
                matches[hole] = matches[hole - 1]
                hole -= 1
            }
            matches[hole] = moving
        }
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

    /// Appends every occurrence that passes the word boundaries, lane by lane.
    ///
    /// A long haystack is cut into four pieces scanned in one loop, so that their chains of dependent
    /// table loads overlap. Lane `k` starts from the root at its cut and so finds exactly the occurrences
    /// starting there or later; it runs on `maxPatternLength - 1` bytes past the next cut and keeps only
    /// those starting before it. Within a lane events come by end, so matches come nearly sorted by start.
    func collectCandidates(in bytes: UnsafeBufferPointer<UInt8>, into matches: inout [Match]) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let t = tables
        let count = bytes.count
        guard count >= Self.interleaveThreshold, count >= 16 * t.maxPatternLength else {
            var events: [MatchEvent] = []
            var state: UInt32 = 0
            t.run(base, from: 0, to: count, state: &state, events: &events)
            report(events, before: count, in: bytes, into: &matches)
            return
        }
        let overrun = max(t.maxPatternLength - 1, 0)
        let cuts = (count / 4, count / 2, 3 * count / 4)
        let ends = (min(count, cuts.0 + overrun), min(count, cuts.1 + overrun), min(count, cuts.2 + overrun), count)
        var at = (0, cuts.0, cuts.1, cuts.2)
        var states: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        var events0: [MatchEvent] = [], events1: [MatchEvent] = [], events2: [MatchEvent] = []
        var events3: [MatchEvent] = []
        events0.reserveCapacity(count / 512)
        events1.reserveCapacity(count / 512)
        events2.reserveCapacity(count / 512)
        events3.reserveCapacity(count / 512)
        t.run4(base, at: &at, ends: ends, states: &states,
               events0: &events0, events1: &events1, events2: &events2, events3: &events3)
        t.run(base, from: at.0, to: ends.0, state: &states.0, events: &events0)
        t.run(base, from: at.1, to: ends.1, state: &states.1, events: &events1)
        t.run(base, from: at.2, to: ends.2, state: &states.2, events: &events2)
        t.run(base, from: at.3, to: ends.3, state: &states.3, events: &events3)
        report(events0, before: cuts.0, in: bytes, into: &matches)
        report(events1, before: cuts.1, in: bytes, into: &matches)
        report(events2, before: cuts.2, in: bytes, into: &matches)
        report(events3, before: count, in: bytes, into: &matches)
    }

    /// Turns one lane's events into matches: every pattern ending there that starts before `limit` and
    /// passes the word boundaries.
    private func report(_ events: [MatchEvent], before limit: Int, in bytes: UnsafeBufferPointer<UInt8>,
                        into matches: inout [Match]) {
        let t = tables
        for event in events {
            t.reportOutputs(of: event.state, endingAt: event.end) { match, info in
                if match.start < limit, Self.passesBoundaries(match, info: info, in: bytes) { matches.append(match) }
            }
        }
    }

    /// Whether a match passes the word boundaries its pattern needs (`info` from `AutomatonTables.patternInfo`).
    @inline(__always)
    static func passesBoundaries(_ match: Match, info: UInt32, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = UInt8(info & 3)
        if first != 0, match.start > 0, wordClass(before: match.start, in: bytes) == first { return false }
        let last = UInt8(info >> 2 & 3)
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
