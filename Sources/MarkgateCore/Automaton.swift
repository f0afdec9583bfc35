/// A multi-pattern byte matcher (Aho-Corasick), built once and then immutable.
///
/// Layout: states are numbered in breadth-first order. The shallow states, where a scan spends nearly all
/// its time, form a dense prefix whose rows are fully resolved transitions indexed by the byte (one load per
/// byte, no failure links); deeper states are sparse records (ordinal, failure link, sorted edges) laid out
/// depth-first in one array, so memory stays bounded for large registers and walking down a name reads
/// consecutive memory. A state id is premultiplied: dense state `k` is `k * stride`, a sparse state is
/// `denseLimit` plus its record's offset. Transitions into a state that ends a pattern carry `matchBit`.
///
/// `forEachMatch` reports every occurrence (overlapping); `leftmostLongest` applies word boundaries and
/// then picks, from the left, the longest match at each start — the semantics markgate screens with.
/// Patterns that are empty never match; equal patterns report the first.
public struct Automaton: Sendable {
    /// One occurrence of pattern `pattern` over bytes `start ..< end`.
    public struct Match: Sendable, Hashable, CustomStringConvertible {
        public var pattern: Int
        public var start: Int
        public var end: Int

        public init(pattern: Int, start: Int, end: Int) {
            self.pattern = pattern
            self.start = start
            self.end = end
        }

        public var description: String { "(\(pattern), \(start), \(end))" }
    }

    static let matchBit: UInt32 = 1 << 31

    /// Default number of dense transition entries (4 bytes each).
    public static let defaultDenseBudget = 1 << 20

    /// The tables, behind one reference: a scan retains nothing and checks no bounds in its loop.
    let tables: AutomatonTables

    /// Number of patterns given to `init`.
    public let patternCount: Int
    /// Number of states, dense and sparse.
    public let stateCount: Int

    /// Builds the automaton.
    ///
    /// - Parameters:
    ///   - patterns: the byte strings to find (normalized UTF-8 for markgate).
    ///   - denseBudget: at most this many transition entries (4 bytes each) in the dense prefix.
    public init(patterns: [[UInt8]], denseBudget: Int = Automaton.defaultDenseBudget) {
        patternCount = patterns.count

        // Rows are indexed by the byte itself: no class lookup in the scan loop, and a state's ordinal is its
        // id shifted right by 8. A row access touches one cache line whatever the row's width.
        let stride = 256

        // Trie, built from the patterns in sorted order: each node's edges come out in ascending byte order.
        let order = patterns.indices.filter { !patterns[$0].isEmpty }.sorted {
            patterns[$0].lexicographicallyPrecedes(patterns[$1])
        }
        var parentOf: [Int32] = [-1]
        var byteOfNode: [UInt32] = [0]
        var terminal: [Int32] = [-1]
        var path: [Int32] = [0]                 // path[d]: node at depth d along the previous pattern
        var previous: [UInt8] = []
        for index in order {
            let pattern = patterns[index]
            var common = 0
            while common < pattern.count, common < previous.count, pattern[common] == previous[common] {
                common += 1
            }
            path.removeSubrange((common + 1)...)
            for depth in common..<pattern.count {
                let node = Int32(parentOf.count)
                parentOf.append(path[depth])
                byteOfNode.append(UInt32(pattern[depth]))
                terminal.append(-1)
                path.append(node)
            }
            let end = Int(path[pattern.count])
            if terminal[end] < 0 { terminal[end] = Int32(index) }
            previous = pattern
        }
        let nodeCount = parentOf.count
        stateCount = nodeCount

        // Children in CSR form (stable, so in ascending byte order), then breadth-first numbering.
        var childStart = [Int32](repeating: 0, count: nodeCount + 1)
        for node in 1..<nodeCount { childStart[Int(parentOf[node]) + 1] += 1 }
        for node in 0..<nodeCount { childStart[node + 1] += childStart[node] }
        var fill = childStart
        var children = [Int32](repeating: 0, count: max(nodeCount - 1, 0))
        for node in 1..<nodeCount {
            let parent = Int(parentOf[node])
            children[Int(fill[parent])] = Int32(node)
            fill[parent] += 1
        }
        var bfs = [Int32](repeating: 0, count: nodeCount)   // ordinal → node
        var ordinalOf = [Int32](repeating: 0, count: nodeCount)
        var head = 0, tail = 1
        while head < tail {
            let node = Int(bfs[head])
            ordinalOf[node] = Int32(head)
            for edge in Int(childStart[node])..<Int(childStart[node + 1]) {
                bfs[tail] = children[edge]
                tail += 1
            }
            head += 1
        }

        // Sparse states are laid out depth-first, each as one record `[ordinal, fail, count, (byte, target)…]`,
        // so that walking down a name reads consecutive memory.
        let strideShift = stride.trailingZeroBitCount
        let denseCount = max(1, min(nodeCount, denseBudget / stride))
        // Ids from `denseCount * stride` up to the next power of two are unused, so that a scan can test four
        // targets at once: `(a | b | c | d) >= denseLimit` exactly when one of them is sparse or flagged.
        let denseLimit = UInt32(1) << (UInt32.bitWidth - UInt32(denseCount * stride - 1).leadingZeroBitCount)
        var sparseOffset = [Int](repeating: 0, count: nodeCount)   // by ordinal
        var sparseSize = 0
        for rootOrdinal in denseCount..<nodeCount
        where Int(ordinalOf[Int(parentOf[Int(bfs[rootOrdinal])])]) < denseCount {
            var stack = [Int(bfs[rootOrdinal])]
            while let node = stack.popLast() {
                let edges = Int(childStart[node])..<Int(childStart[node + 1])
                sparseOffset[Int(ordinalOf[node])] = sparseSize
                sparseSize += 3 + 2 * edges.count
                stack.append(contentsOf: edges.reversed().map { Int(children[$0]) })
            }
        }
        precondition(UInt64(denseLimit) + UInt64(sparseSize) < UInt64(Self.matchBit), "automaton too large")
        func id(_ ordinal: Int) -> UInt32 {
            ordinal < denseCount ? UInt32(ordinal * stride) : denseLimit + UInt32(sparseOffset[ordinal])
        }

        let patternInfo = patterns.map {
            UInt32($0.count) << 8 | UInt32(Self.wordClass(lastScalarOf: $0)) << 2 | UInt32(Self.wordClass(firstScalarOf: $0))
        }
        var outputPattern = [Int32](repeating: -1, count: nodeCount)
        var outputLink = [Int32](repeating: -1, count: nodeCount)
        var fail = [Int32](repeating: 0, count: nodeCount)     // by ordinal
        for ordinal in 0..<nodeCount { outputPattern[ordinal] = terminal[Int(bfs[ordinal])] }
        var dense = [UInt32](repeating: 0, count: denseCount * stride)
        var sparse = [UInt32](repeating: 0, count: sparseSize)
        for ordinal in denseCount..<nodeCount { sparse[sparseOffset[ordinal]] = UInt32(ordinal) }

        // Resolved transition from state `ordinal` on byte `c`, as an unflagged ordinal.
        func delta(_ start: Int, _ c: UInt32) -> Int {
            var state = start
            while true {
                if state < denseCount {
                    let target = dense[state * stride + Int(c)] & ~Self.matchBit
                    return target < denseLimit ? Int(target) >> strideShift : Int(sparse[Int(target - denseLimit)])
                }
                let node = Int(bfs[state])
                for edge in Int(childStart[node])..<Int(childStart[node + 1])
                where byteOfNode[Int(children[edge])] == c {
                    return Int(ordinalOf[Int(children[edge])])
                }
                state = Int(fail[state])
            }
        }
        func flagged(_ ordinal: Int) -> UInt32 {
            id(ordinal) | (outputPattern[ordinal] >= 0 || outputLink[ordinal] >= 0 ? Self.matchBit : 0)
        }

        for ordinal in 0..<nodeCount {
            let node = Int(bfs[ordinal])
            let edges = Int(childStart[node])..<Int(childStart[node + 1])
            // Failure and output links of the children first: the rows below need their match flags.
            for edge in edges {
                let child = Int(ordinalOf[Int(children[edge])])
                let c = byteOfNode[Int(children[edge])]
                let target = ordinal == 0 ? 0 : delta(Int(fail[ordinal]), c)
                fail[child] = Int32(target)
                outputLink[child] = outputPattern[target] >= 0 ? Int32(target) : outputLink[target]
            }
            if ordinal < denseCount {
                let row = ordinal * stride
                if ordinal == 0 {
                    for c in 0..<stride { dense[c] = 0 }
                } else {
                    let failRow = Int(fail[ordinal]) * stride
                    for c in 0..<stride { dense[row + c] = dense[failRow + c] }
                }
                for edge in edges {
                    let child = Int(ordinalOf[Int(children[edge])])
                    dense[row + Int(byteOfNode[Int(children[edge])])] = flagged(child)
                }
            } else {
                var at = sparseOffset[ordinal]
                sparse[at + 1] = id(Int(fail[ordinal]))
                sparse[at + 2] = UInt32(edges.count)
                at += 3
                for edge in edges {
                    sparse[at] = byteOfNode[Int(children[edge])]
                    sparse[at + 1] = flagged(Int(ordinalOf[Int(children[edge])]))
                    at += 2
                }
            }
        }

        tables = AutomatonTables(
            stride: stride, denseLimit: denseLimit, dense: dense,
            sparse: sparse,
            outputs: outputPattern, outputLink: outputLink, patternInfo: patternInfo
        )
    }

    /// Bytes held by the automaton's tables (an estimate of its memory).
    public var memoryBytes: Int { tables.memoryBytes }

    /// The longest pattern, in bytes.
    public var maxPatternLength: Int { tables.maxPatternLength }

    /// Calls `body` for every occurrence of every pattern in `bytes`, overlapping ones included, in order
    /// of their end; occurrences ending at the same byte come longest first.
    public func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Match) -> Void) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var events: [MatchEvent] = []
        var state: UInt32 = 0
        tables.run(base, from: 0, to: bytes.count, state: &state, events: &events)
        for event in events { tables.reportOutputs(of: event.state, endingAt: event.end) { match, _ in body(match) } }
    }

    /// Counts the occurrences `forEachMatch` would report (the scan alone, for benchmarks).
    public func countMatches(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        forEachMatch(in: bytes) { _ in count += 1 }
        return count
    }
}

/// A transition into a state with output, found by a scan: the patterns of `state` end at `end`.
struct MatchEvent: Sendable {
    var end: Int
    var state: UInt32
}

/// The automaton's tables in memory it owns; immutable after `init`, so safe to share across threads.
final class AutomatonTables: @unchecked Sendable {
    let strideShift: Int
    let denseLimit: UInt32
    let dense: UnsafeMutablePointer<UInt32>
    let sparse: UnsafeMutablePointer<UInt32>
    /// By ordinal, four words side by side (one cache line holds four states): the pattern ending exactly
    /// there (or -1), the ordinal of the nearest proper suffix with output (or -1), that pattern's
    /// `patternInfo`, and a pad.
    let outputs: UnsafeMutablePointer<Int32>
    /// By pattern: length in bytes `<< 8`, word class of its last scalar `<< 2`, of its first scalar.
    let patternInfo: UnsafeMutablePointer<UInt32>
    let memoryBytes: Int
    let maxPatternLength: Int

    init(stride: Int, denseLimit: UInt32, dense: [UInt32], sparse: [UInt32],
         outputs outputPattern: [Int32], outputLink: [Int32], patternInfo: [UInt32]) {
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            _ = UnsafeMutableBufferPointer(start: pointer, count: array.count).initialize(from: array)
            return pointer
        }
        self.strideShift = stride.trailingZeroBitCount
        self.denseLimit = denseLimit
        self.dense = copy(dense)
        self.sparse = copy(sparse)
        var outputs = [Int32](repeating: 0, count: 4 * outputPattern.count)
        for (ordinal, pattern) in outputPattern.enumerated() {
            outputs[4 * ordinal] = pattern
            outputs[4 * ordinal + 1] = outputLink[ordinal]
            outputs[4 * ordinal + 2] = pattern >= 0 ? Int32(bitPattern: patternInfo[Int(pattern)]) : 0
        }
        self.outputs = copy(outputs)
        self.patternInfo = copy(patternInfo)
        self.maxPatternLength = Int((patternInfo.max() ?? 0) >> 8)
        memoryBytes = 4 * [dense.count, sparse.count, outputs.count, patternInfo.count]
            .reduce(0, +)
    }

    deinit {
        for pointer in [dense, sparse] { pointer.deallocate() }
        outputs.deallocate()
        patternInfo.deallocate()
    }

    /// Runs the automaton over `base[from ..< to]`, starting in `state` and leaving the last state there;
    /// records a `MatchEvent` (end offset, state) for each transition into a state with output. The loop
    /// does dense transitions only, so that its state stays in a register; a transition into a sparse or
    /// matching state is handled by `walk`.
    @inline(never)
    func run(_ base: UnsafePointer<UInt8>, from: Int, to end: Int, state: inout UInt32, events: inout [MatchEvent]) {
        let dense = self.dense, limit = denseLimit
        var current = state
        var at = from
        if current >= limit { walk(base, at: &at, end: end, state: &current, events: &events) }
        while at < end {
            // A fresh local, whose address is never taken, so that the state stays in a register.
            var fast = current
            var index = at
            while index < end {
                fast = dense[Int(fast &+ UInt32(base[index]))]
                index &+= 1
                if fast >= limit { break }
            }
            current = fast
            at = index
            if current >= limit { walk(base, at: &at, end: end, state: &current, events: &events) }
        }
        state = current
    }

    /// Takes over after a transition into `state` (flagged, or sparse) that ended at `at`: records the
    /// event, then steps until the state is dense and unflagged again or `end` is reached.
    @inline(never)
    func walk(_ base: UnsafePointer<UInt8>, at: inout Int, end: Int, state: inout UInt32,
              events: inout [MatchEvent]) {
        var current = state
        var position = at
        while true {
            if current & Automaton.matchBit != 0 {
                current &= ~Automaton.matchBit
                events.append(MatchEvent(end: position, state: current))
            }
            if current < denseLimit || position == end { break }
            current = step(current, UInt32(base[position]))
            position &+= 1
        }
        at = position
        state = current
    }

    /// `run` over four ranges of one haystack at once, so that four independent chains of loads overlap.
    ///
    /// Each lane has its own position: a lane whose step leaves the dense states walks on alone (`walk`),
    /// and the shared loop then goes on for as many bytes as every lane has left. Returns when a lane
    /// reaches its end; `run` finishes the others.
    @inline(never)
    func run4(_ base: UnsafePointer<UInt8>, at: inout (Int, Int, Int, Int), ends: (Int, Int, Int, Int),
              states: inout (UInt32, UInt32, UInt32, UInt32), events0: inout [MatchEvent],
              events1: inout [MatchEvent], events2: inout [MatchEvent], events3: inout [MatchEvent]) {
        let dense = self.dense, limit = denseLimit
        var (a0, a1, a2, a3) = at
        var (s0, s1, s2, s3) = states
        if s0 >= limit { walk(base, at: &a0, end: ends.0, state: &s0, events: &events0) }
        if s1 >= limit { walk(base, at: &a1, end: ends.1, state: &s1, events: &events1) }
        if s2 >= limit { walk(base, at: &a2, end: ends.2, state: &s2, events: &events2) }
        if s3 >= limit { walk(base, at: &a3, end: ends.3, state: &s3, events: &events3) }
        while true {
            let steps = min(min(ends.0 - a0, ends.1 - a1), min(ends.2 - a2, ends.3 - a3))
            if steps <= 0 { break }
            let p0 = base + a0, p1 = base + a1, p2 = base + a2, p3 = base + a3
            // Fresh locals, whose addresses are never taken, so that the states stay in registers.
            var (t0, t1, t2, t3) = (s0, s1, s2, s3)
            var index = 0
            while index < steps {
                t0 = dense[Int(t0 &+ UInt32(p0[index]))]
                t1 = dense[Int(t1 &+ UInt32(p1[index]))]
                t2 = dense[Int(t2 &+ UInt32(p2[index]))]
                t3 = dense[Int(t3 &+ UInt32(p3[index]))]
                index &+= 1
                if (t0 | t1 | t2 | t3) >= limit { break }
            }
            (s0, s1, s2, s3) = (t0, t1, t2, t3)
            a0 &+= index
            a1 &+= index
            a2 &+= index
            a3 &+= index
            if s0 >= limit { walk(base, at: &a0, end: ends.0, state: &s0, events: &events0) }
            if s1 >= limit { walk(base, at: &a1, end: ends.1, state: &s1, events: &events1) }
            if s2 >= limit { walk(base, at: &a2, end: ends.2, state: &s2, events: &events2) }
            if s3 >= limit { walk(base, at: &a3, end: ends.3, state: &s3, events: &events3) }
        }
        at = (a0, a1, a2, a3)
        states = (s0, s1, s2, s3)
    }

    /// The (flagged) transition from unflagged `state` on `byte`; a sparse state's single edge (the common
    /// case along a name) is followed inline.
    @inline(__always)
    func step(_ state: UInt32, _ byte: UInt32) -> UInt32 {
        if state < denseLimit { return dense[Int(state &+ byte)] }
        let record = Int(state &- denseLimit)
        if sparse[record &+ 2] == 1, sparse[record &+ 3] == byte { return sparse[record &+ 4] }
        return sparseStep(state, byte)
    }

    @inline(never)
    func sparseStep(_ start: UInt32, _ c: UInt32) -> UInt32 {
        var state = start
        while state >= denseLimit {
            let record = Int(state - denseLimit)
            var edge = record + 3
            let end = edge + 2 * Int(sparse[record + 2])
            while edge < end {
                if sparse[edge] == c { return sparse[edge + 1] }
                edge += 2
            }
            state = sparse[record + 1]
        }
        return dense[Int(state &+ c)]
    }

    /// The ordinal (breadth-first number) of an unflagged state id.
    @inline(__always)
    func ordinal(of state: UInt32) -> Int {
        state < denseLimit ? Int(state) >> strideShift : Int(sparse[Int(state - denseLimit)])
    }

    /// Calls `body` with each pattern ending at `end` in (unflagged) state `state`, longest first, and its
    /// `patternInfo`.
    @inline(__always)
    func reportOutputs(of state: UInt32, endingAt end: Int, _ body: (Automaton.Match, UInt32) -> Void) {
        var ordinal = ordinal(of: state)
        if outputs[4 &* ordinal] < 0 { ordinal = Int(outputs[4 &* ordinal &+ 1]) }
        while ordinal >= 0 {
            let entry = outputs + 4 &* ordinal
            let info = UInt32(bitPattern: entry[2])
            body(Automaton.Match(pattern: Int(entry[0]), start: end - Int(info >> 8), end: end), info)
            ordinal = Int(entry[1])
        }
    }
}
