import Dispatch
import Foundation
import MarkgateCore
import MarkgateIO

/// `markgate-bench --pipeline`, `--xml` and `--flat-memory`: the screening pipeline's budgets (design.md).
///
/// A generated register (`BenchRegister`) and HS → Nice table make the screener; a generated manifest
/// (`ManifestGenerator`) is screened as `markgate screen` screens it: `ManifestSource` → `ScreeningPipeline`
/// (batches of 512, each decision stamped with the register and rules hashes and rendered to bytes by
/// `DecisionJSON.append` on the worker that screened it) → a sink that buffers the lines as `LineWriter` does
/// and counts them instead of writing them. Only the measured loops are timed. Each run checks its result: a
/// decision per parcel, no error records, every item counted, and the planted names flagged at a sane rate (the
/// share of parcels flagged is printed by what was planted in them).
enum PipelineBenchmark {
    /// Settings shared by the modes.
    struct Options {
        var marks: Int
        var workers: Int
        var seed: UInt64
        var runs: Int
        var hsTable: String
        var rules: String
        /// Print a digest of the decisions written (to check that an optimisation changes none).
        var digest = false
        /// Parcels a batch (`ScreeningPipeline.batchSize`; `markgate screen` uses 512).
        var batchSize = 512
    }

    /// Runs the mode the command line asks for (`--pipeline`, `--xml`, `--flat-memory`) and says whether its
    /// checks passed; nil when it asks for none of them.
    static func runIfAsked(_ arguments: [String] = CommandLine.arguments) -> Bool? {
        func string(_ name: String, default value: String) -> String {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
            return arguments[index + 1]
        }
        func number(_ name: String, default value: Double) -> Double { Double(string(name, default: "")) ?? value }
        let options = Options(marks: argument("--marks", default: 10_000),
                              workers: max(1, argument("--workers", default: 2)),
                              seed: UInt64(argument("--seed", default: 7)), runs: argument("--runs", default: 1),
                              hsTable: string("--hs-table", default: "Rules/hs-nice.yaml"),
                              rules: string("--rules", default: "Rules/rules.yaml"),
                              digest: arguments.contains("--digest"), batchSize: argument("--batch", default: 512))
        let run: () -> Bool
        if arguments.contains("--pipeline"), arguments.contains("--db") {
            run = { runPipelineRecording(items: argument("--items", default: 1_000_000),
                                         db: string("--db", default: ""), options: options) }
        } else if arguments.contains("--pipeline") {
            run = {
                runPipeline(items: argument("--items", default: 1_000_000), chunked: arguments.contains("--chunked"),
                            options: options)
            }
        } else if arguments.contains("--xml") {
            run = { runReaders(megabytes: argument("--megabytes", default: 100), options: options) }
        } else if arguments.contains("--flat-memory") {
            guard let format = ManifestText.Format(rawValue: string("--format", default: "csv")) else {
                print("markgate-bench: --format is csv, ceb621 or generic")
                return false
            }
            run = {
                runFlatMemory(bytes: Int(number("--gigabytes", default: 5) * 1e9), format: format,
                              every: number("--every", default: 5), options: options)
            }
        } else {
            return nil
        }
        // Other work on the machine skews every figure: the load before and after says whether there was any.
        print("load average before: \(ProcessStats.loadAverage())")
        let ok = run()
        print("load average after: \(ProcessStats.loadAverage())")
        return ok
    }

    // MARK: - --pipeline

    /// The whole pipeline over an in-memory CSV manifest of `items` items, then the time split: reading only,
    /// screening only (on `workers` threads), rendering only. The manifest is read through
    /// `ManifestSource(bytes:file:)`, or with `chunked` in 64 KiB chunks, as from a file.
    static func runPipeline(items itemTarget: Int, chunked: Bool, options: Options) -> Bool {
        print("pipeline: \(options.marks) marks, \(itemTarget) items, \(options.workers) workers, "
              + "seed \(options.seed), " + (chunked ? "read in 64 KiB chunks" : "read as one array"))
        guard let setup = Setup(options: options) else { return false }
        var generator = ManifestGenerator(bench: setup.bench, niceClasses: setup.niceClasses, seed: options.seed)
        var generated: (text: [UInt8], planted: [Planted]) = ([], [])
        let generation = clock.measure {
            generated = ManifestText.generate(&generator, format: .csv, items: itemTarget)
        }
        let manifest = generated.text
        let plantedParcels = generated.planted.filter { $0 != .none }.count
        print(String(format: "manifest: CSV %@, %d parcels, %d items (%@), %d items with a planted name "
                     + "(%.1f%%), %d parcels with one; generated in %.2f s", mb(manifest.count), generator.parcelCount,
                     generator.itemCount, generator.descriptionSummary, generator.plantedItems,
                     100 * Double(generator.plantedItems) / Double(generator.itemCount), plantedParcels,
                     seconds(generation)))
        print("RSS before screening: \(mb(ProcessStats.bytes("VmRSS")))")

        var ok = true
        let pipeline = ScreeningPipeline(screener: setup.screener, batchSize: options.batchSize,
                                         workers: options.workers)
        var best = Double.infinity
        for run in 1...max(1, options.runs) {
            let sink = CountingSink(digest: options.digest)
            var tally = Tally()
            var index = 0
            let meter = CPUMeter()
            let elapsed = clock.measure {
                let source = Self.source(manifest, format: .csv, chunked: chunked)
                pipeline.run(source, renderInto: setup.render) { screened, line in
                    switch screened {
                    case .decision(let verdict, let items, let suppressed):
                        let planted = index < generated.planted.count ? generated.planted[index] : .none
                        tally.count(verdict, items: items, suppressed: suppressed, planted: planted, line: line)
                    case .error:
                        tally.errors += 1
                    }
                    sink.write(line: line)
                    index += 1
                    return true
                }
                sink.flush()
            }
            let time = seconds(elapsed)
            best = min(best, time)
            print(String(format: "run %d: %.2f s, %.0f items/s, %.0f parcels/s, %.1f MB/s of CSV; %@ of decisions; %@",
                         run, time, Double(tally.items) / time, Double(tally.decisions) / time,
                         Double(manifest.count) / 1e6 / time, mb(sink.bytes), meter.report(wall: time)))
            print("  " + tally.verdictLine)
            print("  " + tally.plantedLine)
            if let digest = sink.digest { print("  decisions digest: " + String(digest, radix: 16)) }
            ok = tally.check(parcels: generator.parcelCount, items: generator.itemCount) && ok
        }
        print(String(format: "pipeline best: %.0f items/s on %d workers (budget 500k); peak RSS (VmHWM) %@",
                     Double(generator.itemCount) / best, options.workers, mb(ProcessStats.bytes("VmHWM"))))

        // Where the time goes: each stage alone.
        var records = 0, readItems = 0
        let readMeter = CPUMeter()
        let readTime = clock.measure {
            for record in Self.source(manifest, format: .csv, chunked: chunked) {
                records += 1
                if case .parcel(let parcel, _) = record { readItems += parcel.items.count }
            }
        }
        let readCPU = readMeter.report(wall: seconds(readTime))
        let parcels: [Parcel] = Self.source(manifest, format: .csv, chunked: chunked).compactMap {
            if case .parcel(let parcel, _) = $0 { return parcel }
            return nil
        }
        let decisions = UnsafeMutableBufferPointer<Decision>.allocate(capacity: parcels.count)
        defer { decisions.deallocate() }
        let slots = DecisionSlots(base: decisions.baseAddress!)
        let screener = setup.screener
        let lanes = options.workers
        let screenMeter = CPUMeter()
        let screenTime = clock.measure {
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                for index in stride(from: lane, to: parcels.count, by: lanes) {
                    (slots.base + index).initialize(to: screener.screen(parcels[index]))
                }
            }
        }
        let screenCPU = screenMeter.report(wall: seconds(screenTime))
        let sink = CountingSink()
        let writeMeter = CPUMeter()
        let writeTime = clock.measure {
            var line: [UInt8] = []
            for index in decisions.indices {
                line.removeAll(keepingCapacity: true)
                setup.render(.decision(decisions[index], items: 0), &line)
                sink.write(line: line[...])
            }
            sink.flush()
        }
        let writeCPU = writeMeter.report(wall: seconds(writeTime))
        decisions.baseAddress!.deinitialize(count: parcels.count)
        let stages = [("read only (ManifestSource, calling thread)", seconds(readTime), readCPU),
                      ("screen only (Screener.screen, \(lanes) threads)", seconds(screenTime), screenCPU),
                      ("render only (DecisionJSON.append, one thread)", seconds(writeTime), writeCPU)]
        print("time split (each stage alone, over the same \(generator.itemCount) items):")
        for (name, time, cpu) in stages {
            print(String(format: "  %@ %6.2f s  %9.0f items/s  %@", padded(name, 50), time,
                         Double(generator.itemCount) / time, cpu))
        }
        let sum = stages.reduce(0) { $0 + $1.1 }
        print(String(format: "  %@ %6.2f s  (best full pipeline %.2f s)", padded("sum of stages", 50), sum, best))
        if records != generator.parcelCount || readItems != generator.itemCount || parcels.count != records {
            print("MISMATCH: read \(records) records, \(readItems) items; generated \(generator.parcelCount) parcels, "
                  + "\(generator.itemCount) items")
            ok = false
        }
        print("peak RSS (VmHWM) with the parcels and decisions held for the split: \(mb(ProcessStats.bytes("VmHWM")))")
        return ok
    }

    // MARK: - --xml

    /// Reading only, for a CEB621 manifest, a generic `<manifest>` and a CSV manifest of about `megabytes` MB
    /// each, all held in memory.
    static func runReaders(megabytes: Int, options: Options) -> Bool {
        print("readers: \(megabytes) MB of each format in memory, seed \(options.seed)")
        guard let setup = Setup(options: options) else { return false }
        var ok = true
        for format in [ManifestText.Format.ceb621, .generic, .csv] {
            var generator = ManifestGenerator(bench: setup.bench, niceClasses: setup.niceClasses, seed: options.seed)
            let (text, planted) = ManifestText.generate(&generator, format: format, bytes: megabytes * 1_000_000)
            print(String(format: "%@: %@, %d parcels, %d items (%@)", format.rawValue, mb(text.count), planted.count,
                         generator.itemCount, generator.descriptionSummary))
            for run in 1...max(1, options.runs) {
                var records = 0, items = 0, errors = 0
                let meter = CPUMeter()
                let elapsed = clock.measure {
                    for record in Self.source(text, format: format, chunked: false) {
                        records += 1
                        switch record {
                        case .parcel(let parcel, _): items += parcel.items.count
                        case .error: errors += 1
                        }
                    }
                }
                let time = seconds(elapsed)
                let good = records == planted.count && items == generator.itemCount && errors == 0
                print(String(format: "  ManifestSource run %d: %.3f s, %.1f MB/s, %.0f parcels/s, %.0f items/s; %@%@",
                             run, time, Double(text.count) / 1e6 / time, Double(records) / time, Double(items) / time,
                             meter.report(wall: time),
                             good ? "" : " MISMATCH: \(records) records, \(items) items, \(errors) errors"))
                ok = ok && good
            }
            // As from a file: the same bytes in 64 KiB chunks (ManifestSource(bytes:) hands its input over as one
            // chunk, which its format sniffing copies whole).
            var chunked = 0
            let chunkMeter = CPUMeter()
            let chunkTime = clock.measure {
                for _ in Self.source(text, format: format, chunked: true) { chunked += 1 }
            }
            print(String(format: "  ManifestSource in 64 KiB chunks: %.3f s, %.1f MB/s; %@%@", seconds(chunkTime),
                         Double(text.count) / 1e6 / seconds(chunkTime), chunkMeter.report(wall: seconds(chunkTime)),
                         chunked == planted.count ? "" : " MISMATCH"))
            ok = ok && chunked == planted.count
            // The reader alone, without ManifestSource's sniffing and position tracking.
            var records = 0
            let directMeter = CPUMeter()
            let direct = clock.measure {
                if format == .csv {
                    for _ in CSVManifestReader(bytes: text, file: "generated.csv") { records += 1 }
                } else {
                    for _ in XMLManifestReader(bytes: text, file: "generated.xml") { records += 1 }
                }
            }
            print(String(format: "  %@(bytes:) alone: %.3f s, %.1f MB/s; %@%@",
                         format == .csv ? "CSVManifestReader" : "XMLManifestReader", seconds(direct),
                         Double(text.count) / 1e6 / seconds(direct), directMeter.report(wall: seconds(direct)),
                         records == planted.count ? "" : " MISMATCH"))
            ok = ok && records == planted.count
        }
        print("budget: XML read at 250 MB/s or more; peak RSS (VmHWM) \(mb(ProcessStats.bytes("VmHWM")))")
        return ok
    }

    // MARK: - --flat-memory

    /// The whole pipeline over a manifest of `bytes` bytes generated chunk by chunk as it is read, never held:
    /// RSS is sampled every `every` seconds; peak RSS and the overall rate are printed at the end.
    static func runFlatMemory(bytes limit: Int, format: ManifestText.Format, every: Double,
                              options: Options) -> Bool {
        print(String(format: "flat memory: %@ of generated %@ streamed through the pipeline, %d marks, %d workers, "
                     + "seed %llu", mb(limit), format.rawValue, options.marks, options.workers, options.seed))
        guard let setup = Setup(options: options) else { return false }
        let generator = ManifestGenerator(bench: setup.bench, niceClasses: setup.niceClasses, seed: options.seed)
        let stream = GeneratedManifestStream(generator: generator, format: format, limit: limit)
        let baseline = ProcessStats.bytes("VmRSS")
        print("RSS before streaming: \(mb(baseline)), peak so far \(mb(ProcessStats.bytes("VmHWM")))")
        let pipeline = ScreeningPipeline(screener: setup.screener, batchSize: options.batchSize,
                                         workers: options.workers)
        let sink = CountingSink()
        var tally = Tally()
        var maxRSS = baseline
        let start = clock.now
        var lastSample = start
        var sampleAt = 0
        var sampleMeter = CPUMeter()
        let meter = CPUMeter()
        let elapsed = clock.measure {
            let source = ManifestSource(file: "generated.\(format.rawValue)", chunks: stream.next)
            pipeline.run(source, renderInto: setup.render) { screened, line in
                switch screened {
                case .decision(let verdict, let items, let suppressed):
                    tally.count(verdict, items: items, suppressed: suppressed, planted: stream.takeExpectation(),
                                line: line)
                case .error:
                    tally.errors += 1
                    _ = stream.takeExpectation()
                }
                sink.write(line: line)
                sampleAt += 1
                if sampleAt >= 4096 {
                    sampleAt = 0
                    let now = clock.now
                    if seconds(now - lastSample) >= every {
                        let cpu = sampleMeter.report(wall: seconds(now - lastSample))
                        sampleMeter = CPUMeter()
                        lastSample = now
                        let rss = ProcessStats.bytes("VmRSS")
                        maxRSS = max(maxRSS, rss)
                        let time = seconds(now - start)
                        print(String(format: "  %6.0f s: read %@ (%.1f%%), %d parcels, %d items, RSS %@, "
                                     + "%.1f MB/s, %.0f items/s so far; %@", time, mb(stream.bytes),
                                     100 * Double(stream.bytes) / Double(limit), tally.decisions, tally.items,
                                     mb(rss), Double(stream.bytes) / 1e6 / time, Double(tally.items) / time, cpu))
                        fflush(nil)
                    }
                }
                return true
            }
            sink.flush()
        }
        let time = seconds(elapsed)
        let generating = seconds(stream.generating)
        print(String(format: "done: %@ in %.1f s, %d parcels, %d items, %@ of decisions; %@", mb(stream.bytes), time,
                     tally.decisions, tally.items, mb(sink.bytes), meter.report(wall: time)))
        print("  " + tally.verdictLine)
        print("  " + tally.plantedLine)
        print(String(format: "rate: %.1f MB/s, %.0f items/s overall; generating the input took %.1f s of it "
                     + "(without it: %.1f MB/s, %.0f items/s)", Double(stream.bytes) / 1e6 / time,
                     Double(tally.items) / time, generating, Double(stream.bytes) / 1e6 / (time - generating),
                     Double(tally.items) / (time - generating)))
        let peak = ProcessStats.bytes("VmHWM")
        print("RSS: baseline \(mb(baseline)), largest sample \(mb(maxRSS)), peak (VmHWM) \(mb(peak)) "
              + "(budget: under 200 MB)")
        return tally.check(parcels: stream.parcels, items: stream.items) && peak < 200_000_000
    }

    // MARK: - Plumbing

    /// A manifest held in memory as `ManifestSource` reads it: the whole array at once, or in 64 KiB chunks as
    /// from a file (each chunk a fresh array, as a file's reads are).
    static func source(_ bytes: [UInt8], format: ManifestText.Format, chunked: Bool) -> ManifestSource {
        let file = "generated.\(format == .csv ? "csv" : "xml")"
        guard chunked else { return ManifestSource(bytes: bytes, file: file) }
        var offset = 0
        return ManifestSource(file: file, chunks: {
            guard offset < bytes.count else { return nil }
            let end = min(offset + GeneratedManifestStream.chunkSize, bytes.count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        })
    }

    /// `text` with spaces after it up to `width` characters.
    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static let clock = ContinuousClock()

    /// The register, table, rules and screener every mode starts from. The rules are loaded as `markgate screen`
    /// loads them: the file when it exists (hashed by its bytes), the built-in rules otherwise.
    struct Setup {
        var bench: BenchRegister
        var niceClasses: NiceClassTable
        var screener: Screener
        var registerHash: String
        var rulesHash: String

        /// What `markgate screen` does on the worker for each outcome: append its JSON line, stamped with the
        /// hashes, to the batch's bytes.
        let render: @Sendable (ScreeningPipeline.Outcome, inout [UInt8]) -> Void

        init?(options: Options) {
            let table: NiceClassTable
            do {
                table = try NiceClassTableLoader.load(path: options.hsTable)
            } catch {
                print("markgate-bench: cannot load \(options.hsTable): \(error)")
                return nil
            }
            niceClasses = table
            var rules = Rules.builtIn
            var rulesNote = "built-in rules (no \(options.rules))"
            if FileManager.default.fileExists(atPath: options.rules) {
                do {
                    rules = try RulesLoader.load(path: options.rules).rules
                    rulesNote = "rules \(options.rules)"
                } catch {
                    print("markgate-bench: cannot load \(options.rules): \(error)")
                    return nil
                }
            }
            var bench: BenchRegister?
            let registerTime = clock.measure {
                bench = BenchRegister(count: options.marks, seed: options.seed, niceClasses: table)
            }
            let generated = bench!
            self.bench = generated
            let marks = generated.register.marks
            var screener: Screener?
            let buildTime = clock.measure {
                screener = Screener(register: generated.register, niceClasses: table, rules: rules)
            }
            self.screener = screener!
            // Sorted keys: the same register hashes alike in every process (`--digest` compares runs).
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let encoded = (try? encoder.encode(generated.register)) ?? Data()
            registerHash = ContentHash.text(String(decoding: encoded, as: UTF8.self))
            rulesHash = ContentHash.file(at: options.rules) ?? ContentHash.text(rules.canonicalText)
            let stamp = DecisionJSON.Stamp(register: registerHash, rules: rulesHash)
            render = { outcome, bytes in
                switch outcome {
                case .decision(let decision, _):
                    DecisionJSON.append(decision, stamp: stamp, to: &bytes)
                case .error(let error):
                    DecisionJSON.append(error, to: &bytes)
                }
            }
            let latin = generated.entries.filter(\.isLatin).count
            print(String(format: "register: %d marks (%d Latin, %d Chinese; %d with classes, %d well-known, "
                         + "%d with a licensee, %d with a price floor, %d with a variant, %d with a generic name), "
                         + "generated in %.2f s; HS table %d prefixes; %@; screener built in %.2f s; RSS %@",
                         marks.count, latin, marks.count - latin, marks.filter { !$0.classes.isEmpty }.count,
                         marks.filter { $0.kind == .wellKnown }.count, marks.filter { !$0.licensees.isEmpty }.count,
                         marks.filter { !$0.minUnitPrice.isEmpty }.count, marks.filter { !$0.variants.isEmpty }.count,
                         marks.filter { !$0.genericNames.isEmpty }.count, seconds(registerTime), niceClasses.count,
                         rulesNote, seconds(buildTime), mb(ProcessStats.bytes("VmRSS"))))
        }
    }

    /// Each screening thread writes only its own indices, so sharing the buffer is safe.
    struct DecisionSlots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Decision>
    }
}

/// The cores this process kept busy over a stretch of time, and those the rest of the machine did (other work
/// skews every figure: "others" near 0 means the figures are this program's alone).
struct CPUMeter {
    let own = ProcessStats.cpuSeconds()
    let machine = ProcessStats.machineBusySeconds()

    /// `CPU 1.85 cores (others 0.02)` over `wall` seconds since the meter was made.
    func report(wall: Double) -> String {
        let ownCores = (ProcessStats.cpuSeconds() - own) / wall
        let machineCores = (ProcessStats.machineBusySeconds() - machine) / wall
        return String(format: "CPU %.2f cores (others %.2f)", ownCores, max(0, machineCores - ownCores))
    }
}

/// Counts decisions by verdict and, by what was planted in each parcel, how many were flagged.
struct Tally {
    var decisions = 0
    var items = 0
    var errors = 0
    var verdicts = [Int](repeating: 0, count: Verdict.allCases.count)
    var parcelsBy = [Int](repeating: 0, count: Planted.allCases.count)
    var flaggedBy = [Int](repeating: 0, count: Planted.allCases.count)
    var suppressedBy = [Int](repeating: 0, count: Planted.allCases.count)

    /// With SHOW_MISSES set, the first parcels judged against what was planted in them are printed.
    static let showMisses = ProcessInfo.processInfo.environment["SHOW_MISSES"] != nil
    var shown = 0

    /// Counts one decision (`line` is its rendered JSON line, shown for the first misses with `showMisses`).
    mutating func count(_ verdict: Verdict, items: Int, suppressed: Int, planted: Planted, line: ArraySlice<UInt8>) {
        if Self.showMisses, shown < 12, (planted == .counts) == (verdict == .clear) {
            shown += 1
            print("    \(planted): \(String(decoding: line, as: UTF8.self))")
        }
        decisions += 1
        self.items += items
        verdicts[Verdict.allCases.firstIndex(of: verdict)!] += 1
        parcelsBy[Int(planted.rawValue)] += 1
        if verdict != .clear { flaggedBy[Int(planted.rawValue)] += 1 }
        if suppressed > 0 { suppressedBy[Int(planted.rawValue)] += 1 }
    }

    var verdictLine: String {
        "decisions: " + zip(Verdict.allCases, verdicts).map { "\($0.rawValue) \($1)" }.joined(separator: ", ")
            + ", errors \(errors)"
    }

    var plantedLine: String {
        let labels: [Planted: String] = [.counts: "planted, counting", .ruledOut: "planted, ruled out",
                                         .none: "nothing planted"]
        return "flagged: " + Planted.allCases.reversed().map { planted in
            let index = Int(planted.rawValue)
            return String(format: "%@ %d of %d (%.2f%%, %d with suppressed hits)", labels[planted]!, flaggedBy[index],
                          parcelsBy[index], 100 * share(flaggedBy[index], of: parcelsBy[index]), suppressedBy[index])
        }.joined(separator: "; ")
    }

    func share(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

    /// A decision for every parcel, every item counted, no error record; of the parcels with a counting name,
    /// at least 95% flagged; of those whose names are ruled out, and of those with none, at most 2%.
    /// Prints what failed.
    func check(parcels: Int, items expectedItems: Int) -> Bool {
        var problems: [String] = []
        if decisions != parcels { problems.append("\(decisions) decisions for \(parcels) parcels") }
        if items != expectedItems { problems.append("\(items) items counted, \(expectedItems) generated") }
        if errors > 0 { problems.append("\(errors) error records") }
        let counts = Int(Planted.counts.rawValue), ruledOut = Int(Planted.ruledOut.rawValue)
        let none = Int(Planted.none.rawValue)
        if share(flaggedBy[counts], of: parcelsBy[counts]) < 0.95 {
            problems.append("under 95% of the parcels with a counting name flagged")
        }
        if share(flaggedBy[ruledOut], of: parcelsBy[ruledOut]) > 0.02 {
            problems.append("over 2% of the parcels whose names are ruled out flagged")
        }
        if share(flaggedBy[none], of: parcelsBy[none]) > 0.02 {
            problems.append("over 2% of the parcels with no planted name flagged")
        }
        for problem in problems { print("MISMATCH: \(problem)") }
        return problems.isEmpty
    }
}

/// Buffers rendered lines as `LineWriter` does (64 KiB, a newline after each) and counts them instead of
/// writing them.
final class CountingSink {
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16
    private(set) var bytes = 0
    private(set) var lines = 0
    /// FNV-1a of every byte written, when asked for (`--digest`): equal digests, equal decisions.
    private(set) var digest: UInt64? = nil

    init(digest: Bool = false) {
        buffer.reserveCapacity(capacity)
        if digest { self.digest = 0xcbf2_9ce4_8422_2325 }
    }

    func write(line: ArraySlice<UInt8>) {
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= capacity { flush() }
    }

    func write(line: [UInt8]) { write(line: line[...]) }

    func flush() {
        bytes += buffer.count
        if var hash = digest {
            for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            digest = hash
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Memory and CPU figures of this process, and the machine's load, from /proc (0 or empty where there is none).
enum ProcessStats {
    /// CPU time used by every thread of the process so far, in seconds.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// CPU time the process has spent in the kernel so far (system time, every thread), in seconds.
    static func systemSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// CPU time the whole machine has spent busy (user, nice, system, interrupts, steal) so far, in seconds.
    static func machineBusySeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return 0 }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return 0 }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The 1-, 5- and 15-minute load averages (other work on the machine skews every figure).
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// A `Vm…` field in bytes: `VmRSS` (resident now), `VmHWM` (peak resident).
    static func bytes(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let value = line.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first
            let kilobytes = value.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
