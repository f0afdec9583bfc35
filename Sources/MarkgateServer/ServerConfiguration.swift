/// What `markgate serve` is told: where to listen, which files to screen with, the admin token and the limits.
///
/// Paths are kept so that a reload (`POST /v1/admin/reload`, SIGHUP) reads the same files again.
public struct ServerConfiguration: Sendable {
    /// Address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// Port to bind; 0 asks the system for a free one.
    public var port: Int
    /// Register file or folder, read again on reload.
    public var registerPath: String
    /// Rules file, read again on reload.
    public var rulesPath: String
    /// HS → Nice class table, read again on reload; nil for none.
    public var hsTablePath: String?
    /// Bearer token of the admin endpoints; nil disables them (404).
    public var adminToken: String?
    /// Largest request body accepted by `/v1/screen` and `/v1/check`, in bytes (413 beyond).
    public var maximumBodyBytes: Int
    /// Largest body accepted by `/v1/screen/stream`, in bytes (the stream ends with an error record beyond).
    public var maximumStreamBytes: Int
    /// Most parcels in one `/v1/screen` batch (400 beyond).
    public var maximumBatch: Int
    /// Most requests under way at once on the `/v1/` endpoints (429 with Retry-After beyond).
    public var maximumInflight: Int
    /// Scheduling lag of the handlers' thread pool above which `/v1/` requests are shed with 503.
    public var maximumLag: Duration
    /// How often the scheduling lag is sampled while requests come (`SchedulingLagMonitor.period`).
    public var lagTick: Duration
    /// How long the lag must stay over `maximumLag` before requests are shed, and under it before shedding stops
    /// (`SchedulingLagMonitor.interval`).
    public var lagInterval: Duration

    public init(host: String = "127.0.0.1", port: Int = 8080, registerPath: String = "Rules/register.yaml",
                rulesPath: String = "Rules/rules.yaml", hsTablePath: String? = "Rules/hs-nice.yaml",
                adminToken: String? = nil, maximumBodyBytes: Int = 1 << 20, maximumStreamBytes: Int = 1 << 30,
                maximumBatch: Int = 1000, maximumInflight: Int = 256, maximumLag: Duration = .milliseconds(5),
                lagTick: Duration = .milliseconds(5), lagInterval: Duration = .milliseconds(100)) {
        self.host = host
        self.port = port
        self.registerPath = registerPath
        self.rulesPath = rulesPath
        self.hsTablePath = hsTablePath
        self.adminToken = adminToken
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumStreamBytes = maximumStreamBytes
        self.maximumBatch = maximumBatch
        self.maximumInflight = maximumInflight
        self.maximumLag = maximumLag
        self.lagTick = lagTick
        self.lagInterval = lagInterval
    }
}
