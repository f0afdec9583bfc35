/// A multi-pattern byte matcher (Aho-Corasick), built once and then immutable.
///
/// Layout: states are numbered in breadth-first order. The shallow states, where a scan spends nearly all
/// its time, form a dense prefix whose rows are fully resolved transitions over byte classes (one load per
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
    public static let defaultDenseBudget = 1 << 22

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

        // Byte classes: each byte used by a pattern gets a class of its own; all others share class 0.
        var used = [Bool](repeating: false, count: 256)
        for pattern in patterns { for byte in pattern { used[Int(byte)] = true } }
        var classes = [UInt32](repeating: 0, count: 256)
        var classCount: UInt32 = 1
        for byte in 0..<256 where used[byte] {
            classes[byte] = classCount
            classCount += 1
        }
        let stride = Int(classCount)

        // Trie, built from the patterns in sorted order: each node's edges come out in ascending class order.
        let order = patterns.indices.filter { !patterns[$0].isEmpty }.sorted {
            patterns[$0].lexicographicallyPrecedes(patterns[$1])
        }
        var parentOf: [Int32] = [-1]
        var classOfNode: [UInt32] = [0]
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
                classOfNode.append(classes[Int(pattern[depth])])
                terminal.append(-1)
                path.append(node)
            }
            let end = Int(path[pattern.count])
            if terminal[end] < 0 { terminal[end] = Int32(index) }
            previous = pattern
        }
        let nodeCount = parentOf.count
        stateCount = nodeCount

        // Children in CSR form (stable, so in ascending class order), then breadth-first numbering.
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

        // Sparse states are laid out depth-first, each as one record `[ordinal, fail, count, (class, target)…]`,
        // so that walking down a name reads consecutive memory.
        let denseCount = max(1, min(nodeCount, denseBudget / stride))
        let denseLimit = UInt32(denseCount * stride)
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

        var outputPattern = [Int32](repeating: -1, count: nodeCount)
        var outputLink = [Int32](repeating: -1, count: nodeCount)
        var fail = [Int32](repeating: 0, count: nodeCount)     // by ordinal
        for ordinal in 0..<nodeCount { outputPattern[ordinal] = terminal[Int(bfs[ordinal])] }
        var dense = [UInt32](repeating: 0, count: denseCount * stride)
        var sparse = [UInt32](repeating: 0, count: sparseSize)
        for ordinal in denseCount..<nodeCount { sparse[sparseOffset[ordinal]] = UInt32(ordinal) }

        // Resolved transition from state `ordinal` on class `c`, as an unflagged ordinal.
        func delta(_ start: Int, _ c: UInt32) -> Int {
            var state = start
            while true {
                if state < denseCount {
                    let target = dense[state * stride + Int(c)] & ~Self.matchBit
                    return target < denseLimit ? Int(target) / stride : Int(sparse[Int(target - denseLimit)])
                }
                let node = Int(bfs[state])
                for edge in Int(childStart[node])..<Int(childStart[node + 1])
                where classOfNode[Int(children[edge])] == c {
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
                let c = classOfNode[Int(children[edge])]
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
                    dense[row + Int(classOfNode[Int(children[edge])])] = flagged(child)
                }
            } else {
                var at = sparseOffset[ordinal]
                sparse[at + 1] = id(Int(fail[ordinal]))
                sparse[at + 2] = UInt32(edges.count)
                at += 3
                for edge in edges {
                    sparse[at] = classOfNode[Int(children[edge])]
                    sparse[at + 1] = flagged(Int(ordinalOf[Int(children[edge])]))
                    at += 2
                }
            }
        }

        tables = AutomatonTables(
            classOf: classes, stride: stride, denseCount: denseCount, dense: dense,
            sparse: sparse,
            outputPattern: outputPattern, outputLink: outputLink,
            patternLength: patterns.map { Int32($0.count) },
            boundaryFirst: patterns.map { Self.wordClass(firstScalarOf: $0) },
            boundaryLast: patterns.map { Self.wordClass(lastScalarOf: $0) }
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
        tables.run(base, count: bytes.count, offset: 0, state: &state, events: &events)
        for event in events { tables.reportOutputs(of: event.state, endingAt: event.end, body) }
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
    let classOf: UnsafeMutablePointer<UInt32>
    let stride: Int
    let denseCount: Int
    let denseLimit: UInt32
    let dense: UnsafeMutablePointer<UInt32>
    let sparse: UnsafeMutablePointer<UInt32>
    let outputPattern: UnsafeMutablePointer<Int32>
    let outputLink: UnsafeMutablePointer<Int32>
    let patternLength: UnsafeMutablePointer<Int32>
    let boundaryFirst: UnsafeMutablePointer<UInt8>
    let boundaryLast: UnsafeMutablePointer<UInt8>
    let memoryBytes: Int
    let maxPatternLength: Int

    init(classOf: [UInt32], stride: Int, denseCount: Int, dense: [UInt32], sparse: [UInt32],
         outputPattern: [Int32], outputLink: [Int32], patternLength: [Int32], boundaryFirst: [UInt8],
         boundaryLast: [UInt8]) {
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            _ = UnsafeMutableBufferPointer(start: pointer, count: array.count).initialize(from: array)
            return pointer
        }
        self.classOf = copy(classOf)
        self.stride = stride
        self.denseCount = denseCount
        self.denseLimit = UInt32(denseCount * stride)
        self.dense = copy(dense)
        self.sparse = copy(sparse)
        self.outputPattern = copy(outputPattern)
        self.outputLink = copy(outputLink)
        self.patternLength = copy(patternLength)
        self.boundaryFirst = copy(boundaryFirst)
        self.boundaryLast = copy(boundaryLast)
        self.maxPatternLength = Int(patternLength.max() ?? 0)
        let words = [classOf.count, dense.count, sparse.count, outputPattern.count, outputLink.count,
                     patternLength.count]
        memoryBytes = 4 * words.reduce(0, +) + boundaryFirst.count + boundaryLast.count
    }

    deinit {
        for pointer in [classOf, dense, sparse] { pointer.deallocate() }
        outputPattern.deallocate()
        outputLink.deallocate()
        patternLength.deallocate()
        boundaryFirst.deallocate()
        boundaryLast.deallocate()
    }

    /// Runs the automaton over `count` bytes from `base`, starting in `state` and leaving the last state
    /// there; records a `MatchEvent` (end offset plus `offset`, state) for each transition into a state
    /// with output. The loop does transitions only, so that its state stays in a register.
    @inline(never)
    func run(_ base: UnsafePointer<UInt8>, count: Int, offset: Int, state: inout UInt32, events: inout [MatchEvent]) {
        let classOf = self.classOf, dense = self.dense, limit = denseLimit
        var current = state
        var index = 0
        while index < count {
            let c = classOf[Int(base[index])]
            var target = current < limit ? dense[Int(current &+ c)] : sparseStep(current, c)
            index &+= 1
            if target >= limit, target & Automaton.matchBit != 0 {
                target &= ~Automaton.matchBit
                Self.record(&events, MatchEvent(end: offset &+ index, state: target))
            }
            current = target
        }
        state = current
    }

    /// `run` over two haystacks of `count` bytes at once: two independent chains of loads overlap.
    @inline(never)
    func run(_ baseA: UnsafePointer<UInt8>, _ baseB: UnsafePointer<UInt8>, count: Int, offsetA: Int, offsetB: Int,
             stateA: inout UInt32, stateB: inout UInt32, eventsA: inout [MatchEvent], eventsB: inout [MatchEvent]) {
        let classOf = self.classOf, dense = self.dense, limit = denseLimit
        var currentA = stateA, currentB = stateB
        var index = 0
        while index < count {
            let cA = classOf[Int(baseA[index])]
            let cB = classOf[Int(baseB[index])]
            var targetA = currentA < limit ? dense[Int(currentA &+ cA)] : sparseStep(currentA, cA)
            var targetB = currentB < limit ? dense[Int(currentB &+ cB)] : sparseStep(currentB, cB)
            index &+= 1
            if targetA >= limit, targetA & Automaton.matchBit != 0 {
                targetA &= ~Automaton.matchBit
                Self.record(&eventsA, MatchEvent(end: offsetA &+ index, state: targetA))
            }
            if targetB >= limit, targetB & Automaton.matchBit != 0 {
                targetB &= ~Automaton.matchBit
                Self.record(&eventsB, MatchEvent(end: offsetB &+ index, state: targetB))
            }
            currentA = targetA
            currentB = targetB
        }
        stateA = currentA
        stateB = currentB
    }

    @inline(never)
    static func record(_ events: inout [MatchEvent], _ event: MatchEvent) {
        events.append(event)
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

    /// Calls `body` for each pattern ending at `end` in (unflagged) state `state`, longest first.
    @inline(__always)
    func reportOutputs(of state: UInt32, endingAt end: Int, _ body: (Automaton.Match) -> Void) {
        var ordinal = state < denseLimit ? Int(state) / stride : Int(sparse[Int(state - denseLimit)])
        if outputPattern[ordinal] < 0 { ordinal = Int(outputLink[ordinal]) }
        while ordinal >= 0 {
            let pattern = Int(outputPattern[ordinal])
            body(Automaton.Match(pattern: pattern, start: end - Int(patternLength[pattern]), end: end))
            ordinal = Int(outputLink[ordinal])
        }
    }
}
