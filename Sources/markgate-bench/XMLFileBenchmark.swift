import Foundation
import MarkgateCore
import MarkgateIO

/// `--xml-file PATH [--runs 3] [--generate] [--records OUT]`: reads one XML manifest from memory with
/// `XMLManifestReader` alone, to compare with `Benchmarks/c/libxml2-ceiling.c` on the same file (and to profile the
/// reader without the generator). `--generate` first writes there the 100 MB CEB621 message `--xml` reads
/// (seed 7; `--format generic` the generic `<manifest>`). `--records OUT` then writes every record as a JSON line (each value of each parcel and item, or the
/// error with its location), to check that a change to the reader changes no record.  `--source` reads through
/// `ManifestSource(bytes:)` (format sniffing, position tracking) instead of the reader alone.
enum XMLFileBenchmark {
    /// Runs when `--xml-file` is given; nil otherwise, false when the file cannot be read.
    static func runIfAsked(runs: Int) -> Bool? {
        let arguments = CommandLine.arguments
        guard let index = arguments.firstIndex(of: "--xml-file"), index + 1 < arguments.count else { return nil }
        let path = arguments[index + 1]
        if arguments.contains("--generate") {
            let options = PipelineBenchmark.Options(marks: 10_000, workers: 1, seed: 7, runs: 1,
                                                    hsTable: "Rules/hs-nice.yaml", rules: "Rules/rules.yaml")
            guard let setup = PipelineBenchmark.Setup(options: options) else { return false }
            var generator = ManifestGenerator(bench: setup.bench, niceClasses: setup.niceClasses, seed: 7)
            let at = arguments.firstIndex(of: "--format")
            let format = at.flatMap { $0 + 1 < arguments.count ? ManifestText.Format(rawValue: arguments[$0 + 1]) : nil }
            let (text, _) = ManifestText.generate(&generator, format: format ?? .ceb621, bytes: 100_000_000)
            _ = FileManager.default.createFile(atPath: path, contents: Data(text))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            print("markgate-bench: cannot read \(path)")
            return false
        }
        let bytes = [UInt8](data)
        let throughSource = arguments.contains("--source")
        print("\(throughSource ? "ManifestSource" : "XMLManifestReader")(bytes:) on \(path): \(mb(bytes.count))")
        for run in 1...max(1, runs) {
            var parcels = 0, items = 0, errors = 0
            let cpuStart = threadCPUSeconds()
            let elapsed = ContinuousClock().measure {
                let records: AnySequence<ManifestRecord> = throughSource
                    ? AnySequence(ManifestSource(bytes: bytes, file: path))
                    : AnySequence(XMLManifestReader(bytes: bytes, file: path))
                for record in records {
                    switch record {
                    case .parcel(let parcel, _):
                        parcels += 1
                        items += parcel.items.count
                    case .error:
                        errors += 1
                    }
                }
            }
            let time = seconds(elapsed)
            let cpu = threadCPUSeconds() - cpuStart
            let megabytes = Double(bytes.count) / 1e6
            print(String(format: "  run %d: %.3f s, %.1f MB/s (%.1f MB per CPU second); %d parcels, %d items, "
                            + "%d errors", run, time, megabytes / time, megabytes / cpu, parcels, items, errors))
        }
        if let at = arguments.firstIndex(of: "--records"), at + 1 < arguments.count {
            return writeRecords(XMLManifestReader(bytes: bytes, file: path), to: arguments[at + 1])
        }
        return true
    }

    /// Writes one JSON line per record (sorted keys, so equal records give equal lines); false when `path`
    /// cannot be written.
    private static func writeRecords(_ reader: XMLManifestReader, to path: String) -> Bool {
        struct Line: Encodable {
            var parcel: Parcel?
            var source: SourceLocation?
            var error: RecordError?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var out = Data()
        var count = 0
        for record in reader {
            let line: Line
            switch record {
            case .parcel(let parcel, let source): line = Line(parcel: parcel, source: source)
            case .error(let error): line = Line(error: error)
            }
            guard let encoded = try? encoder.encode(line) else { return false }
            out.append(encoded)
            out.append(0x0A)
            count += 1
        }
        guard FileManager.default.createFile(atPath: path, contents: out) else {
            print("markgate-bench: cannot write \(path)")
            return false
        }
        print("  \(count) records written to \(path)")
        return true
    }
}

/// CPU time of the calling thread: a rate per CPU second varies less than one per wall second on a busy machine.
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
