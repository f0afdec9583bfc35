import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MarkgateCore
import MarkgateIO
import MarkgateStore
import MarkgateServer

/// `markgate serve`: the real-time screening service over HTTP (Hummingbird).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP screening service: /v1/screen, /v1/check, /v1/screen/stream, admin reload.",
        discussion: """
            Endpoints and status codes are in openapi.yaml and the README. SIGTERM or SIGINT shut down \
            gracefully (requests under way finish); SIGHUP reloads the register, rules and HS table (a bad file \
            is logged and the old set keeps serving). The admin token comes from --admin-token or \
            MARKGATE_ADMIN_TOKEN; without one the admin endpoints answer 404. Log level: LOG_LEVEL (info).
            """
    )

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0: any free port, logged at start).")
    var port = 8080

    @Option(name: .customLong("admin-token"), help: "Bearer token for /v1/admin/* (or MARKGATE_ADMIN_TOKEN).")
    var adminToken: String?

    @Option(name: .customLong("max-body"), help: "Largest /v1/screen or /v1/check body in bytes (413 beyond).")
    var maximumBody = 1 << 20

    @Option(name: .customLong("max-stream"), help: "Largest /v1/screen/stream upload in bytes.")
    var maximumStream = 1 << 30

    @Option(name: .customLong("max-batch"), help: "Most parcels in one /v1/screen request (400 beyond).")
    var maximumBatch = 1000

    @Option(name: .long, help: ArgumentHelp(
        "Record every screened parcel in this SQLite case book (hash-chained), committed before it is answered.",
        discussion: "One run of the service is one source of the book; /v1/check is not recorded."),
            completion: .file(extensions: ["db", "sqlite"]))
    var db: String?

    @Option(name: .customLong("max-inflight"), help: "Most /v1/ requests under way at once (429 beyond).")
    var maximumInflight = 256

    @Option(name: .customLong("max-lag-ms"),
            help: ArgumentHelp(
                "Shed /v1/ requests with 503 while the handlers' scheduling lag stays over this (ms).",
                discussion: "Stays: over it for --lag-interval-ms, and on the last two samples. The share shed "
                    + "grows with the lag: none at this lag, all at twice it."))
    var maximumLagMilliseconds = 5.0

    @Option(name: .customLong("lag-tick-ms"), help: ArgumentHelp(
        "How often the scheduling lag is sampled while requests come (ms).",
        discussion: "Each sample costs a timer and a wake-up on every event loop and the pool; a longer period "
            + "costs less and notices overload later. With no request for 100 samples, every 20 ms."))
    var lagTickMilliseconds = 5.0

    @Option(name: .customLong("lag-interval-ms"), help: ArgumentHelp(
        "How long the lag must stay over --max-lag-ms before requests are shed, and under it before shedding stops (ms).",
        discussion: "A queue that drains within it (a stall of the machine, a reload's build) is a burst, not "
            + "overload (CoDel's interval, RFC 8289). 0 sheds after two late samples in a row."))
    var lagIntervalMilliseconds = 100.0

    @Flag(name: .customLong("handlers-on-event-loops"), help: ArgumentHelp(
        "Run request handlers on the event loops that read the requests, not on Swift's concurrency pool.",
        discussion: "Saves the thread hop of each request but, measured here, lengthens the latency tail "
            + "(README › Service › Load); the concurrency pool is the default."))
    var handlersOnEventLoops = false

    @OptionGroup var registerOptions: RegisterOptions
    @OptionGroup var hsTable: HSTableOptions
    @OptionGroup var rulesOptions: RulesOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
        if maximumBody < 1 || maximumStream < 1 || maximumBatch < 1 || maximumInflight < 1
            || !(maximumLagMilliseconds > 0) || !(0.1...1000).contains(lagTickMilliseconds)
            || !(0...60_000).contains(lagIntervalMilliseconds) {
            throw ValidationError("--max-body, --max-stream, --max-batch, --max-inflight must be 1 or more, "
                + "--max-lag-ms above 0, --lag-tick-ms 0.1 to 1000, --lag-interval-ms 0 to 60000")
        }
    }

    func run() throws {
        let onEventLoops = handlersOnEventLoops && ScreeningService.runHandlersOnEventLoops()
        var logger = Logger(label: "markgate")
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
        logger.logLevel = level ?? .info
        let hsPath = hsTable.path ?? (FileManager.default.fileExists(atPath: "Rules/hs-nice.yaml")
            ? "Rules/hs-nice.yaml" : nil)
        let token = adminToken ?? ProcessInfo.processInfo.environment["MARKGATE_ADMIN_TOKEN"]
        let configuration = ServerConfiguration(
            host: host, port: port, registerPath: registerOptions.path, rulesPath: rulesOptions.path,
            hsTablePath: hsPath, adminToken: token.flatMap { $0.isEmpty ? nil : $0 },
            maximumBodyBytes: maximumBody, maximumStreamBytes: maximumStream, maximumBatch: maximumBatch,
            maximumInflight: maximumInflight, maximumLag: .microseconds(Int(maximumLagMilliseconds * 1000)),
            lagTick: .microseconds(Int(lagTickMilliseconds * 1000)),
            lagInterval: .microseconds(Int(lagIntervalMilliseconds * 1000)))
        let snapshot: ScreeningSetup.Snapshot
        do {
            snapshot = try ScreeningSetup.Snapshot.load(registerPath: configuration.registerPath,
                                                        rulesPath: configuration.rulesPath,
                                                        hsTablePath: configuration.hsTablePath)
        } catch {
            for diagnostic in error.diagnostics { standardError(diagnostic.description) }
            throw ExitCode(2)
        }
        var caseBook: ServedCaseBook?
        if let db {
            do {
                let rulesText: [UInt8]? = rulesOptions.usesBuiltIn ? Array(Rules.builtIn.canonicalText.utf8)
                    : FileManager.default.contents(atPath: rulesOptions.path).map { [UInt8]($0) }
                caseBook = try ServedCaseBook(book: CaseBook(path: db), run: CaseBook.RunInfo(
                    sources: ["serve"], registerHash: snapshot.registerHash,
                    registerText: ContentHash.registerBytes(at: configuration.registerPath),
                    rulesHash: snapshot.rulesHash, rulesText: rulesText, toolVersion: "markgate \(Markgate.version)"))
            } catch {
                standardError("markgate: \(error)")
                throw ExitCode(2)
            }
        }
        let service = ScreeningService(setup: ScreeningSetup(snapshot), configuration: configuration, logger: logger,
                                       caseBook: caseBook)
        logger.info("screening set loaded", metadata: [
            "register": "\(snapshot.registerHash)", "rules": "\(snapshot.rulesHash)",
            "admin": "\(configuration.adminToken == nil ? "disabled" : "enabled")",
            "handlers": "\(onEventLoops ? "on the event loops" : "on the concurrency pool")",
        ])
        let hangup = service.reloadOnHangup()
        let application = service.buildApplication()
        let done = DispatchSemaphore(value: 0)
        let failure = LockedBox<(any Error)?>(nil)
        Task {
            // The lag is measured where requests wait: on the event loops, which read every request whichever
            // threads run the handlers, and on the concurrency pool when the handlers run there.
            let loopTicks = service.monitorEventLoopLag()
            let poolTicks = onEventLoops ? nil : Task { await service.lagMonitor.run() }
            do { try await application.runService() } catch { failure.value = error }
            loopTicks.cancel()
            poolTicks?.cancel()
            done.signal()
        }
        done.wait()
        hangup.cancel()
        if let error = failure.value {
            standardError("markgate: \(error)")
            throw ExitCode(2)
        }
    }
}

/// A value shared between the service's task and the main thread that waits for it.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
