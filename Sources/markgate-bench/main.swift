import Foundation
import MarkgateCore

// markgate-bench: the matcher's budgets (README, "Benchmarks").
//   swift run -c release markgate-bench [--names 10000] [--megabytes 100] [--seed 7] [--runs 3]
//   swift run -c release markgate-bench --fuzzy [--titles 20000]
//   swift run -c release markgate-bench --pipeline [--marks 10000] [--items 1000000] [--workers 2] [--runs 1]
//     [--digest]  (prints a digest of the decisions: equal before and after an optimisation)
//     [--chunked]   (common to the pipeline modes: [--seed 7] [--hs-table Rules/hs-nice.yaml]
//     [--rules Rules/rules.yaml])
//   swift run -c release markgate-bench --xml [--megabytes 100] [--runs 1]
//   swift run -c release markgate-bench --xml-file PATH [--runs 3]   (XMLManifestReader alone on one file)
//     [--generate [--format generic]]   (first writes the --xml CEB621, or generic manifest, there)
//     [--records OUT]   (writes every record as a JSON line: equal before and after a change to the reader)
//     [--source]   (through ManifestSource(bytes:) instead of the reader alone)
//   swift run -c release markgate-bench --flat-memory [--gigabytes 5] [--format csv|ceb621|generic] [--every 5]
// Times only the measured loop, checks its result (the planted match count) and exits 1 on a mismatch.

func argument(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
          let parsed = Int(arguments[index + 1]) else { return value }
    return parsed
}

/// Resident set size in bytes, from /proc/self/statm (0 where there is no /proc).
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

let names = argument("--names", default: 10_000)
let megabytes = argument("--megabytes", default: 100)
let seed = UInt64(argument("--seed", default: 7))
let runs = argument("--runs", default: 3)
let denseBudget = argument("--dense-budget", default: Automaton.defaultDenseBudget)
let plantPercent = argument("--plant-percent", default: 30)
let clock = ContinuousClock()

if let ok = PipelineBenchmark.runIfAsked() { exit(ok ? 0 : 1) }
if let ok = XMLFileBenchmark.runIfAsked(runs: runs) { exit(ok ? 0 : 1) }

if CommandLine.arguments.contains("--fuzzy") {
    let ok = FuzzyBenchmark.run(sizes: [1_000, 10_000, 100_000], titles: argument("--titles", default: 20_000),
                                seed: seed)
    exit(ok ? 0 : 1)
}

print("markgate-bench: \(names) names (60% Latin, 40% CJK), \(megabytes) MB of titles, a name in "
    + "\(plantPercent)% of them, seed \(seed), dense budget \(denseBudget)")
let corpus = Corpus(names: names, bytes: megabytes * 1_000_000, seed: seed, plantPercent: plantPercent,
                    distinctPlanted: argument("--distinct-planted", default: 0))
print("corpus: \(mb(corpus.text.count)), \(corpus.titleEnds.count) titles, \(corpus.planted) names planted")

// Build: normalize every name and compile the automaton.
let rssBefore = residentBytes()
var matcher: MarkMatcher?
let buildTime = clock.measure { matcher = MarkMatcher(register: corpus.register, denseBudget: denseBudget) }
let built = matcher!
let rssAfter = residentBytes()
print(String(format: "build: %.3f s, %d states, tables %@, RSS +%@", seconds(buildTime),
             built.automaton.stateCount, mb(built.automaton.memoryBytes), mb(rssAfter - rssBefore)))

// Scan: leftmost-longest with word boundaries over the titles joined by newlines (one haystack).
var failed = false
var best = Double.infinity
var matches: [Automaton.Match] = []
matches.reserveCapacity(corpus.planted + 1024)
for run in 1...runs {
    let elapsed = clock.measure {
        corpus.text.withUnsafeBufferPointer { built.automaton.leftmostLongest(in: $0, into: &matches) }
    }
    best = min(best, seconds(elapsed))
    let ok = matches.count == corpus.planted
    print(String(format: "scan run %d: %.3f s, %.0f MB/s, %d matches%@", run, seconds(elapsed),
                 Double(corpus.text.count) / 1e6 / seconds(elapsed), matches.count,
                 ok ? "" : " MISMATCH (expected \(corpus.planted))"))
    if !ok { failed = true }
}
print(String(format: "scan best: %.0f MB/s of normalized text on one core", Double(corpus.text.count) / 1e6 / best))

if CommandLine.arguments.contains("--scan-only") { exit(failed ? 1 : 0) }

// The same, title by title (a call per title, as when screening one field at a time).
var titleBest = Double.infinity
for _ in 1...runs {
    var found = 0
    let elapsed = clock.measure {
        corpus.text.withUnsafeBufferPointer { text in
            var start = 0
            for end in corpus.titleEnds {
                built.automaton.leftmostLongest(in: UnsafeBufferPointer(rebasing: text[start..<end]), into: &matches)
                found += matches.count
                start = end + 1
            }
        }
    }
    titleBest = min(titleBest, seconds(elapsed))
    if found != corpus.planted {
        print("per-title scan: \(found) matches MISMATCH (expected \(corpus.planted))")
        failed = true
    }
}
print(String(format: "per-title scan best: %.0f MB/s, %.0f ns per title", Double(corpus.text.count) / 1e6 / titleBest,
             titleBest * 1e9 / Double(corpus.titleEnds.count)))
if failed {
    // Show the first titles whose match count differs from what was planted in them.
    var shown = 0
    var start = 0
    for (title, end) in corpus.titleEnds.enumerated() where shown < 5 {
        let bytes = Array(corpus.text[start..<end])
        matches = built.automaton.leftmostLongest(in: bytes)
        if matches.count != (corpus.plantedIn[title] ? 1 : 0) {
            print("  title \(title): \(String(decoding: bytes, as: UTF8.self)) -> \(matches)")
            shown += 1
        }
        start = end + 1
    }
}

// `forEachMatch` over the whole corpus: one lane, every overlapping occurrence, no boundaries (what the
// four lanes of `leftmostLongest` gain over a single one).
var rawBest = Double.infinity
var rawCount = 0
for _ in 1...runs {
    let elapsed = clock.measure {
        rawCount = corpus.text.withUnsafeBufferPointer { built.automaton.countMatches(in: $0) }
    }
    rawBest = min(rawBest, seconds(elapsed))
}
print(String(format: "single-lane overlapping scan best: %.0f MB/s (%d occurrences)", Double(corpus.text.count) / 1e6 / rawBest,
             rawCount))

// Normalization and the whole exact path (normalize, scan, build hits) on the first 10 MB of titles.
let sampleEnds = corpus.titleEnds.prefix { $0 <= 10_000_000 }
var titles: [String] = []
var start = 0
for end in sampleEnds {
    titles.append(String(decoding: corpus.text[start..<end], as: UTF8.self))
    start = end + 1
}
let sampleBytes = sampleEnds.last ?? 0
var normalized = NormalizedText()
var normalizedBytes = 0
let normalizeTime = clock.measure {
    for title in titles {
        built.normalizer.normalize(title, into: &normalized)
        normalizedBytes += normalized.bytes.count
    }
}
print(String(format: "normalize: %.0f MB/s (%d titles)", Double(sampleBytes) / 1e6 / seconds(normalizeTime),
             titles.count))
var hitCount = 0
let hitsTime = clock.measure {
    for title in titles { hitCount += built.hits(in: title, normalized: &normalized, matches: &matches).count }
}
print(String(format: "hits end to end: %.0f titles/s, %.0f MB/s, %d hits", Double(titles.count) / seconds(hitsTime),
             Double(sampleBytes) / 1e6 / seconds(hitsTime), hitCount))
print("peak RSS: \(mb(residentBytes()))")
if failed {
    print("FAILED: match count differs from the planted count")
    exit(1)
}
