import Foundation
import MarkgateCore
import Synchronization

/// The service's counters, rendered as Prometheus text (format 0.0.4) by `/metrics`.
///
/// Every count is an atomic in one fixed table (route × status, a latency histogram per route, decisions by
/// kind), so recording a request takes a few relaxed atomic adds and no lock.
public final class ServerMetrics: Sendable {
    /// The routes counted apart; anything else is `other`.
    public enum Route: Int, CaseIterable, Sendable {
        case screen, check, stream, reload, healthz, readyz, metrics, other

        public var label: String {
            switch self {
            case .screen: "/v1/screen"
            case .check: "/v1/check"
            case .stream: "/v1/screen/stream"
            case .reload: "/v1/admin/reload"
            case .healthz: "/healthz"
            case .readyz: "/readyz"
            case .metrics: "/metrics"
            case .other: "other"
            }
        }

        /// The route of a request path.
        public init(path: String) {
            switch path {
            case "/v1/screen": self = .screen
            case "/v1/check": self = .check
            case "/v1/screen/stream": self = .stream
            case "/v1/admin/reload": self = .reload
            case "/healthz": self = .healthz
            case "/readyz": self = .readyz
            case "/metrics": self = .metrics
            default: self = .other
            }
        }
    }

    /// Status codes counted apart; others are counted under their class (`2xx` … `5xx`) as `0`.
    static let statuses = [200, 400, 401, 404, 405, 413, 422, 429, 500, 503]
    /// Histogram bucket bounds in seconds, suited to sub-millisecond answers.
    static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5]
    static let verdicts = ["clear", "review", "inspect"]

    private let requestCounts: AtomicTable
    private let bucketCounts: AtomicTable
    /// Per route: sum of durations in nanoseconds, then the count.
    private let durationSums: AtomicTable
    private let decisionCounts: AtomicTable
    private let errorCount = Atomic<Int>(0)
    /// Requests under way on the limited endpoints (what the concurrency limit counts).
    public let inflight = Atomic<Int>(0)

    public init() {
        let routes = Route.allCases.count
        requestCounts = AtomicTable(count: routes * (Self.statuses.count + 1))
        bucketCounts = AtomicTable(count: routes * (Self.buckets.count + 1))
        durationSums = AtomicTable(count: routes * 2)
        decisionCounts = AtomicTable(count: Self.verdicts.count)
    }

    /// Counts one answered request: its status and how long it took.
    public func record(route: Route, status: Int, nanoseconds: UInt64) {
        let statusIndex = Self.statuses.firstIndex(of: status) ?? Self.statuses.count
        requestCounts.add(route.rawValue * (Self.statuses.count + 1) + statusIndex, 1)
        let seconds = Double(nanoseconds) / 1e9
        let bucket = Self.buckets.firstIndex { seconds <= $0 } ?? Self.buckets.count
        bucketCounts.add(route.rawValue * (Self.buckets.count + 1) + bucket, 1)
        durationSums.add(route.rawValue * 2, Int(nanoseconds))
        durationSums.add(route.rawValue * 2 + 1, 1)
    }

    /// Counts one decision by its verdict.
    public func record(_ verdict: Verdict) {
        if let index = Self.verdicts.firstIndex(of: verdict.rawValue) { decisionCounts.add(index, 1) }
    }

    /// Counts one error record (a parcel that could not be read).
    public func recordError() {
        errorCount.wrappingAdd(1, ordering: .relaxed)
    }

    /// Decisions counted so far with `verdict`.
    public func decisions(_ verdict: Verdict) -> Int {
        Self.verdicts.firstIndex(of: verdict.rawValue).map { decisionCounts.load($0) } ?? 0
    }

    /// The Prometheus text exposition, with the register and rules of `snapshot` as info gauges and the
    /// scheduling lag (now, sustained over two ticks, and its peak) and the share of requests shed for it as
    /// gauges.
    public func render(registerHash: String, rulesHash: String, generation: Int, lag: Duration = .zero,
                       sustainedLag: Duration = .zero, peakLag: Duration = .zero, shedShare: Double = 0) -> String {
        var out = ""
        // The HELP and TYPE lines of a metric family.
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("markgate_requests_total", "counter", "HTTP requests answered, by route and status.")
        for route in Route.allCases {
            for (index, status) in (Self.statuses + [0]).enumerated() {
                let value = requestCounts.load(route.rawValue * (Self.statuses.count + 1) + index)
                if value == 0 { continue }
                let shown = status == 0 ? "other" : String(status)
                out += "markgate_requests_total{route=\"\(route.label)\",status=\"\(shown)\"} \(value)\n"
            }
        }
        family("markgate_request_duration_seconds", "histogram", "Time from request to response head, by route.")
        for route in Route.allCases {
            let count = durationSums.load(route.rawValue * 2 + 1)
            if count == 0 { continue }
            var cumulative = 0
            for (index, bound) in (Self.buckets + [.infinity]).enumerated() {
                cumulative += bucketCounts.load(route.rawValue * (Self.buckets.count + 1) + index)
                let le = bound.isInfinite ? "+Inf" : String(bound)
                out += "markgate_request_duration_seconds_bucket{route=\"\(route.label)\",le=\"\(le)\"} \(cumulative)\n"
            }
            let sum = Double(durationSums.load(route.rawValue * 2)) / 1e9
            out += "markgate_request_duration_seconds_sum{route=\"\(route.label)\"} \(sum)\n"
            out += "markgate_request_duration_seconds_count{route=\"\(route.label)\"} \(count)\n"
        }
        family("markgate_decisions_total", "counter", "Decisions made, by verdict.")
        for (index, verdict) in Self.verdicts.enumerated() {
            out += "markgate_decisions_total{decision=\"\(verdict)\"} \(decisionCounts.load(index))\n"
        }
        family("markgate_errors_total", "counter", "Parcels that could not be read (error records).")
        out += "markgate_errors_total \(errorCount.load(ordering: .relaxed))\n"
        family("markgate_inflight_requests", "gauge", "Requests under way on the /v1/ endpoints.")
        out += "markgate_inflight_requests \(inflight.load(ordering: .relaxed))\n"
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        family("markgate_scheduling_lag_seconds", "gauge", "How late the load-shedding ticks run now (smoothed).")
        out += "markgate_scheduling_lag_seconds \(seconds(lag))\n"
        family("markgate_scheduling_lag_sustained_seconds", "gauge",
               "The lag the last two ticks both reached: load is shed while it is over --max-lag-ms.")
        out += "markgate_scheduling_lag_sustained_seconds \(seconds(sustainedLag))\n"
        family("markgate_shed_share", "gauge",
               "The share of /v1/ requests answered 503 now: 0 up to --max-lag-ms of sustained lag, 1 from twice it.")
        out += "markgate_shed_share \(shedShare)\n"
        family("markgate_scheduling_lag_max_seconds", "gauge", "The latest any tick has run since the start.")
        out += "markgate_scheduling_lag_max_seconds \(seconds(peakLag))\n"
        family("markgate_register_info", "gauge", "The register in force (its hash).")
        out += "markgate_register_info{hash=\"\(registerHash)\"} 1\n"
        family("markgate_rules_info", "gauge", "The rules in force (their hash) and the reload generation.")
        out += "markgate_rules_info{hash=\"\(rulesHash)\",generation=\"\(generation)\"} 1\n"
        return out
    }
}
