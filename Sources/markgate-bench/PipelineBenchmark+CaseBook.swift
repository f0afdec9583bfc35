import Foundation
import MarkgateCore
import MarkgateIO
import MarkgateStore

extension PipelineBenchmark {
    /// `--pipeline --db PATH`: the pipeline over the generated manifest without and with recording, alternating.
    ///
    /// Without: as `--pipeline` (workers screen and render, a counting sink). With: as `markgate screen --db`
    /// does it (`ScreenedRecord` on the workers: decision, JSON line, parcel data and content digest;
    /// `CaseBookRecorder` chaining and committing batches of `CaseBookRecorder.fileBatchSize` on its own thread;
    /// lines handed to the sink after each commit), into a fresh case book at PATH each run. Prints both rates and the cost of
    /// recording, then checks the book: one row per parcel, and `verify` intact. Also the SHA-256 rate.
    static func runPipelineRecording(items itemTarget: Int, db: String, options: Options) -> Bool {
        print("pipeline with and without a case book (\(db)): \(options.marks) marks, \(itemTarget) items, "
              + "\(options.workers) workers, seed \(options.seed)")
        guard let setup = Setup(options: options) else { return false }
        var generator = ManifestGenerator(bench: setup.bench, niceClasses: setup.niceClasses, seed: options.seed)
        let manifest = ManifestText.generate(&generator, format: .csv, items: itemTarget).text
        print(String(format: "manifest: CSV %@, %d parcels, %d items", mb(manifest.count), generator.parcelCount,
                     generator.itemCount))
        let pipeline = ScreeningPipeline(screener: setup.screener, batchSize: 512, workers: options.workers)
        var ok = true
        var bestPlain = Double.infinity, bestRecorded = Double.infinity
        var pairCosts: [Double] = [], cpuCosts: [Double] = []
        for run in 1...max(1, options.runs) {
            // Without the case book.
            let plainSink = CountingSink()
            var plainCount = 0
            let plainMeter = CPUMeter()
            let plainCPUStart = ProcessStats.cpuSeconds(), plainSystemStart = ProcessStats.systemSeconds()
            let plain = seconds(clock.measure {
                pipeline.run(source(manifest, format: .csv, chunked: false), renderInto: setup.render) { _, line in
                    plainSink.write(line: line)
                    plainCount += 1
                    return true
                }
                plainSink.flush()
            })
            let plainCPU = plainMeter.report(wall: plain)
            let plainCPUSeconds = ProcessStats.cpuSeconds() - plainCPUStart
            let plainSystemSeconds = ProcessStats.systemSeconds() - plainSystemStart
            bestPlain = min(bestPlain, plain)

            // With it, as screen --db records.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            let book: CaseBook
            let runID: Int64
            do {
                book = try CaseBook(path: db)
                runID = try book.beginRun(CaseBook.RunInfo(sources: ["generated.csv"], registerHash: setup.registerHash,
                                                           rulesHash: setup.rulesHash, toolVersion: "markgate-bench"))
            } catch {
                print("markgate-bench: \(error)")
                return false
            }
            let sink = LockedSink()
            let screener = setup.screener
            let (registerHash, rulesHash) = (setup.registerHash, setup.rulesHash)
            let recorder = CaseBookRecorder(book: book, runID: runID, source: "generated.csv",
                                            sourceID: "generated:\(options.seed):\(itemTarget)",
                                            batchSize: CaseBookRecorder.fileBatchSize) {
                lines in
                for case let line? in lines { sink.sink.write(line: line) }
            }
            var recordedCount = 0
            let meter = CPUMeter()
            let recordedCPUStart = ProcessStats.cpuSeconds(), recordedSystemStart = ProcessStats.systemSeconds()
            var failure: (any Error)?
            let recorded = seconds(clock.measure {
                pipeline.map(source(manifest, format: .csv, chunked: false), { record in
                    // As screen --db: the decision stays on the worker, the entry and line go on.
                    let screened = ScreenedRecord(record, screener: screener, registerHash: registerHash,
                                                  rulesHash: rulesHash)
                    return (screened.entry, screened.json)
                }, emit: { entry, line in
                    recorder.append(entry, line: line)
                    recordedCount += 1
                    return !recorder.failed
                })
                do { try recorder.finish() } catch { failure = error }
                sink.sink.flush()
            })
            let recordedCPU = meter.report(wall: recorded)
            let recordedCPUSeconds = ProcessStats.cpuSeconds() - recordedCPUStart
            let recordedSystemSeconds = ProcessStats.systemSeconds() - recordedSystemStart
            pairCosts.append(1 - plain / recorded)
            cpuCosts.append(recordedCPUSeconds / plainCPUSeconds - 1)
            bestRecorded = min(bestRecorded, recorded)
            let fileSize = ((try? FileManager.default.attributesOfItem(atPath: db)[.size]) as? Int ?? 0)
                + ((try? FileManager.default.attributesOfItem(atPath: db + "-wal")[.size]) as? Int ?? 0)
            print(String(format: "run %d: without --db %.2f s, %.0f items/s (%@); with --db %.2f s, %.0f items/s "
                         + "(%@); recording costs %.1f%% of throughput and %.1f%% more CPU (%.2f → %.2f µs an "
                         + "item, of which in the kernel %.2f → %.2f); case book %@", run, plain,
                         Double(generator.itemCount) / plain, plainCPU, recorded,
                         Double(generator.itemCount) / recorded, recordedCPU, 100 * (1 - plain / recorded),
                         100 * (recordedCPUSeconds / plainCPUSeconds - 1),
                         plainCPUSeconds / Double(generator.itemCount) * 1e6,
                         recordedCPUSeconds / Double(generator.itemCount) * 1e6,
                         plainSystemSeconds / Double(generator.itemCount) * 1e6,
                         recordedSystemSeconds / Double(generator.itemCount) * 1e6, mb(fileSize)))
            if let failure { print("MISMATCH: \(failure)") }
            let rows = (try? book.sourceProgress(sourceID: "generated:\(options.seed):\(itemTarget)").records) ?? -1
            if failure != nil || plainCount != generator.parcelCount || recordedCount != generator.parcelCount
                || rows != generator.parcelCount || sink.sink.lines != generator.parcelCount
                || plainSink.bytes != sink.sink.bytes {
                print("MISMATCH: \(plainCount) and \(recordedCount) outcomes, \(rows) rows, \(sink.sink.lines) lines "
                      + "for \(generator.parcelCount) parcels; \(plainSink.bytes) and \(sink.sink.bytes) bytes out")
                ok = false
            }
            if run == max(1, options.runs) {
                var report: AuditReport?
                let verifyTime = seconds(clock.measure { report = try? book.verify() })
                print(String(format: "verify: %@ in %.2f s (%.0f rows/s)",
                             report?.isIntact == true ? "intact" : "FAILED",
                             verifyTime, Double(rows) / verifyTime))
                ok = ok && report?.isIntact == true
            }
        }
        print(String(format: "best: without --db %.0f items/s, with --db %.0f items/s: recording costs %.1f%% "
                     + "(budget under 20%%)", Double(generator.itemCount) / bestPlain,
                     Double(generator.itemCount) / bestRecorded, 100 * (1 - bestPlain / bestRecorded)))
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print(String(format: "median of the %d pairs: recording costs %.1f%% of throughput, %.1f%% more CPU",
                     pairCosts.count, 100 * median(pairCosts), 100 * median(cpuCosts)))
        ok = splitRecording(manifest: manifest, setup: setup, db: db) && ok
        let block = [UInt8](repeating: 0x61, count: 64 << 20)
        var digest: [UInt8] = []
        let hashTime = seconds(clock.measure { digest = SHA256.hash(block) })
        print(String(format: "SHA-256 (MarkgateIO, %@): %.0f MB/s on one core (%@…)",
                     SHA256.accelerated ? "x86 SHA extensions" : "Swift", 64 * 1.048576 / hashTime,
                     String(SHA256.hex(digest).prefix(8))))
        return ok
    }
}

extension PipelineBenchmark {
    /// Where recording's cost goes, each part alone on one thread over the same parcels: what the workers add
    /// (parcel data and content digest), the chain hashes, and the inserts with their commits.
    static func splitRecording(manifest: [UInt8], setup: Setup, db: String) -> Bool {
        let records = Array(source(manifest, format: .csv, chunked: false))
        let screener = setup.screener
        var plainBytes = 0
        var line: [UInt8] = []
        let plain = seconds(clock.measure {
            for record in records {
                line.removeAll(keepingCapacity: true)
                setup.render(ScreeningPipeline.screen(record, with: screener), &line)
                plainBytes += line.count
            }
        })
        var screened: [ScreenedRecord] = []
        screened.reserveCapacity(records.count)
        let prepared = seconds(clock.measure {
            for record in records {
                screened.append(ScreenedRecord(record, screener: screener, registerHash: setup.registerHash,
                                               rulesHash: setup.rulesHash))
            }
        })
        let rows = Double(records.count)
        // The entry alone (parcel data, strings, timestamp, digest), and the parcel data alone.
        var pairs: [(Decision, Parcel, [UInt8])] = []
        for (record, done) in zip(records, screened) {
            if case .parcel(let parcel, _) = record, case .decision(let decision, _) = done.outcome {
                pairs.append((decision, parcel, done.json))
            }
        }
        var entryBytes = 0
        let entryTime = seconds(clock.measure {
            for (decision, parcel, json) in pairs {
                entryBytes += DecisionEntry(decision: decision, parcel: parcel, line: json).content.count
            }
        })
        var parcelBytes = 0
        let parcelTime = seconds(clock.measure {
            var out: [UInt8] = []
            for (_, parcel, _) in pairs {
                out.removeAll(keepingCapacity: true)
                ParcelJSON.append(parcel, to: &out)
                parcelBytes += out.count
            }
        })
        print(String(format: "  DecisionEntry alone %.2f µs, of which ParcelJSON %.2f µs (%d bytes)",
                     entryTime / Double(pairs.count) * 1e6, parcelTime / Double(pairs.count) * 1e6,
                     parcelBytes / max(1, pairs.count)))
        _ = entryBytes
        var hashed = 0
        let chain = seconds(clock.measure {
            var prev = ChainHasher.genesis
            for (index, record) in screened.enumerated() {
                prev = ChainHasher.decisionRow(seq: Int64(index + 1), prevHash: prev, runID: 1, source: "generated.csv",
                                               sourceID: "generated", ordinal: Int64(index),
                                               content: record.entry.content)
                hashed += 1
            }
        })
        let contentBytes = screened.reduce(0) { $0 + $1.entry.decisionLine.count + ($1.entry.parcelData?.count ?? 0) }
        var contentDigests = 0
        let contentTime = seconds(clock.measure {
            for record in screened {
                let entry = record.entry
                let digest = InlineBytes(count: SHA256.digestCount) { digest in
                    entry.decisionLine.withUnsafeBufferPointer { line in
                        DecisionEntry.withBytes(entry.parcelData) { parcelData in
                            entry.recordedTime.withBytes { recorded in
                                ChainHasher.decisionContent(parcel: entry.parcel, kind: entry.kind, score: entry.score,
                                                            decisionLine: line, parcelData: parcelData,
                                                            recorded: recorded, into: digest)
                            }
                        }
                    }
                }
                contentDigests += digest.count
            }
        })
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        var inserted = 0
        let insertTime: Double
        var insertCPU = ""
        do {
            let book = try CaseBook(path: db)
            let run = try book.beginRun(CaseBook.RunInfo(sources: ["g"], registerHash: nil, rulesHash: nil,
                                                         toolVersion: "bench"))
            let start = clock.now
            let meter = CPUMeter()
            var offset = 0
            while offset < screened.count {
                let end = min(offset + CaseBookRecorder.fileBatchSize, screened.count)
                try book.record(DecisionBatch(runID: run, source: "generated.csv", sourceID: "generated",
                                              firstOrdinal: Int64(offset),
                                              entries: screened[offset..<end].map(\.entry)))
                inserted += end - offset
                offset = end
            }
            insertTime = seconds(clock.now - start)
            insertCPU = meter.report(wall: insertTime)
        } catch {
            print("markgate-bench: \(error)")
            return false
        }
        print("recording's parts, each alone on one thread, per decision row (\(records.count) rows):")
        print(String(format: "  screen + render (as without --db)            %6.2f µs", plain / rows * 1e6))
        print(String(format: "  screen + render + parcel data + digest       %6.2f µs  (+%.2f µs on the workers)",
                     prepared / rows * 1e6, (prepared - plain) / rows * 1e6))
        print(String(format: "    of which the content digest (%.0f bytes a row) %6.2f µs  (%.0f MB/s)",
                     Double(contentBytes) / rows, contentTime / rows * 1e6, Double(contentBytes) / 1e6 / contentTime))
        print(String(format: "  row hash (chain step)                        %6.2f µs", chain / rows * 1e6))
        print(String(format: "  CaseBook.record: chain + insert + commit     %6.2f µs  "
                     + "(batches of %d; on the recorder; %@)",
                     insertTime / rows * 1e6, CaseBookRecorder.fileBatchSize, insertCPU))
        return inserted == records.count && hashed == records.count && plainBytes > 0 && contentDigests > 0
    }
}

/// The counting sink, written by the recorder's thread alone until `finish` returns.
final class LockedSink: @unchecked Sendable {
    let sink = CountingSink()
}
