// markgate-load: an open-loop, fixed-rate HTTP/1.1 load generator for `markgate serve` (not a test).
//
// Request k is due at start + k / rate whatever happened before (no coordinated omission): it goes out on an
// idle keep-alive connection as soon as it is due, or waits for one, and its latency runs from when it was
// due to when its whole response has arrived. One thread polls the sockets with poll(2); between polls it naps
// at most 50 µs (so the server may share its core), or never with --spin (pin it to a core of its own).
//
//   markgate-load --port 8080 --rate 5000 --duration 15 --body parcel.json [--path /v1/screen]
//                 [--connections 64] [--label NAME] [--spin]
//
// Prints the rate achieved, latency percentiles (from due time, and from the actual send), how the answers over
// 1 ms fall in time (in bursts of requests due close together, as a stall of the whole server or machine makes
// them, or one by one), the count of each status, and each X-Markgate-Rules value seen with its count.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var host = "127.0.0.1"
    var port = 8080
    var rate = 1000.0
    var duration = 10.0
    var connections = 64
    var path = "/v1/screen"
    var body: [UInt8] = []
    var label = "run"
    /// Poll without ever sleeping (most precise; needs a core of its own).
    var spin = false

    static let usage = """
        usage: markgate-load --port PORT --rate PER_SECOND --duration SECONDS --body FILE [--host HOST] \
        [--path /v1/screen] [--connections 64] [--label NAME] [--spin]
        """

    init(_ arguments: [String]) {
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { Self.fail("missing value for \(arguments[index - 1])") }
            return arguments[index]
        }
        func number<T: LosslessStringConvertible>(_ type: T.Type) -> T {
            let name = arguments[index], text = value()
            guard let number = T(text) else { Self.fail("\(name): expected a number, found \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--host": host = value()
            case "--port": port = number(Int.self)
            case "--rate": rate = number(Double.self)
            case "--duration": duration = number(Double.self)
            case "--connections": connections = number(Int.self)
            case "--path": path = value()
            case "--label": label = value()
            case "--spin": spin = true
            case "--body":
                let path = value()
                guard let contents = FileManager.default.contents(atPath: path) else {
                    Self.fail("--body: cannot read \(path)")
                }
                body = Array(contents)
            case "--help", "-h":
                print(Self.usage)
                exit(0)
            default: Self.fail("unknown argument \(arguments[index])")
            }
            index += 1
        }
        guard rate > 0, duration > 0, connections > 0 else { Self.fail("--rate, --duration, --connections must be above 0") }
    }

    /// Prints `message` and the usage to standard error and exits with status 2.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("markgate-load: \(message)\n\(usage)\n".utf8))
        exit(2)
    }
}

func nowNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

final class Connection {
    var fd: Int32 = -1
    var buffer: [UInt8] = []
    var due: UInt64 = 0
    var sent: UInt64 = 0
    var busy = false
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let request: [UInt8] = Array(("POST \(options.path) HTTP/1.1\r\nHost: \(options.host)\r\n"
    + "Content-Type: application/json\r\nContent-Length: \(options.body.count)\r\n\r\n").utf8) + options.body

var connections: [Connection] = []
var idle: [Int] = []

@MainActor func connect(_ connection: Connection, index: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(options.port).bigEndian)
    inet_pton(AF_INET, options.host, &address.sin_addr)
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard result == 0 else {
        close(fd)
        return false
    }
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    connection.fd = fd
    connection.buffer.removeAll(keepingCapacity: true)
    connection.busy = false
    return true
}

for index in 0..<options.connections {
    let connection = Connection()
    guard connect(connection, index: index) else {
        print("cannot connect to \(options.host):\(options.port)")
        exit(1)
    }
    connections.append(connection)
    idle.append(index)
}

var latencies: [UInt64] = []
var serviceTimes: [UInt64] = []
latencies.reserveCapacity(Int(options.rate * options.duration) + 16)
serviceTimes.reserveCapacity(Int(options.rate * options.duration) + 16)
/// Due times (since the start) of the requests answered more than 1 ms after they were due.
var slowDues: [UInt64] = []
var statuses: [Int: Int] = [:]
var rulesSeen: [String: Int] = [:]
var connectionErrors = 0
var pending: [UInt64] = []   // due times of requests waiting for a connection
var pendingHead = 0

@MainActor func send(_ index: Int, due: UInt64) {
    let connection = connections[index]
    connection.busy = true
    connection.due = due
    connection.sent = nowNanoseconds()
    let written = request.withUnsafeBytes { write(connection.fd, $0.baseAddress, $0.count) }
    if written != request.count { fail(index) }
}

@MainActor func fail(_ index: Int) {
    let connection = connections[index]
    connectionErrors += 1
    close(connection.fd)
    if connect(connection, index: index) { idle.append(index) }
}

let headerEnd: [UInt8] = Array("\r\n\r\n".utf8)

/// Parses one whole response from the connection's buffer, if it is there.
@MainActor func complete(_ connection: Connection) -> (status: Int, rules: String?)? {
    let bytes = connection.buffer
    guard bytes.count >= 4 else { return nil }
    var end = -1
    var index = 0
    while index + 3 < bytes.count {
        if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            end = index
            break
        }
        index += 1
    }
    guard end >= 0 else { return nil }
    let head = String(decoding: bytes[0..<end], as: UTF8.self)
    let lines = head.split(separator: "\r\n")
    let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    var length = 0
    var rules: String?
    for line in lines.dropFirst() {
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let name = parts[0].lowercased()
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        if name == "content-length" { length = Int(value) ?? 0 }
        if name == "x-markgate-rules" { rules = value }
    }
    guard bytes.count >= end + 4 + length else { return nil }
    connection.buffer.removeFirst(end + 4 + length)
    return (status, rules)
}

let interval = 1e9 / options.rate
let total = Int(options.rate * options.duration)
let start = nowNanoseconds() + 10_000_000
var issued = 0
var completed = 0
var polled = [pollfd](repeating: pollfd(), count: options.connections)
var readBuffer = [UInt8](repeating: 0, count: 65536)
let deadline = start + UInt64(options.duration * 1e9) + 5_000_000_000

while completed + connectionErrors < total {
    let now = nowNanoseconds()
    if now > deadline { break }
    while issued < total {
        let due = start + UInt64(Double(issued) * interval)
        if due > now { break }
        issued += 1
        if let index = idle.popLast() { send(index, due: due) } else { pending.append(due) }
    }
    for index in connections.indices {
        polled[index] = pollfd(fd: connections[index].fd, events: Int16(POLLIN), revents: 0)
    }
    let count = polled.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), 0) }
    if count <= 0 {
        if !options.spin {
            // Nothing to read: nap up to 50 µs (less if a request falls due sooner), leaving the CPU to the
            // server. An answer arriving meanwhile is seen up to ~50 µs late, which counts against the server.
            let due = issued < total ? start + UInt64(Double(issued) * interval) : UInt64.max
            let now = nowNanoseconds()
            if due > now + 10_000 {
                var nap = timespec(tv_sec: 0, tv_nsec: Int(min(due - now - 5_000, 50_000)))
                nanosleep(&nap, nil)
            }
        }
        continue
    }
    for index in connections.indices where polled[index].revents != 0 {
        let connection = connections[index]
        let got = readBuffer.withUnsafeMutableBytes { read(connection.fd, $0.baseAddress, $0.count) }
        if got <= 0 {
            if connection.busy { fail(index) } else {
                close(connection.fd)
                idle.removeAll { $0 == index }
                if connect(connection, index: index) { idle.append(index) }
            }
            continue
        }
        connection.buffer.append(contentsOf: readBuffer[0..<got])
        guard connection.busy, let (status, rules) = complete(connection) else { continue }
        let done = nowNanoseconds()
        latencies.append(done - connection.due)
        if done - connection.due > 1_000_000 { slowDues.append(connection.due - start) }
        serviceTimes.append(done - connection.sent)
        statuses[status, default: 0] += 1
        if let rules { rulesSeen[rules, default: 0] += 1 }
        completed += 1
        connection.busy = false
        if pendingHead < pending.count {
            let due = pending[pendingHead]
            pendingHead += 1
            send(index, due: due)
        } else {
            idle.append(index)
        }
    }
}
let elapsed = Double(nowNanoseconds() - start) / 1e9

@MainActor func percentile(_ sorted: [UInt64], _ p: Double) -> String {
    guard !sorted.isEmpty else { return "-" }
    let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    return String(format: "%.3f ms", Double(value) / 1e6)
}

latencies.sort()
serviceTimes.sort()
let ok = statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +)
print("[\(options.label)] target \(Int(options.rate)) req/s for \(options.duration) s on \(options.connections) "
    + "connections: sent \(issued), answered \(completed) in \(String(format: "%.2f", elapsed)) s "
    + "(\(String(format: "%.0f", Double(completed) / elapsed)) req/s), 2xx \(ok), non-2xx \(completed - ok), "
    + "connection errors \(connectionErrors), unanswered \(issued - completed)")
print("  latency from due time: p50 \(percentile(latencies, 0.5))  p90 \(percentile(latencies, 0.9))  "
    + "p99 \(percentile(latencies, 0.99))  p99.9 \(percentile(latencies, 0.999))  max \(percentile(latencies, 1))")
print("  latency from send:     p50 \(percentile(serviceTimes, 0.5))  p90 \(percentile(serviceTimes, 0.9))  "
    + "p99 \(percentile(serviceTimes, 0.99))  p99.9 \(percentile(serviceTimes, 0.999))  "
    + "max \(percentile(serviceTimes, 1))")
if !slowDues.isEmpty {
    // A burst: slow requests each due within 5 ms of the one before.
    slowDues.sort()
    var bursts: [(start: UInt64, count: Int)] = []
    var previous: UInt64?
    for due in slowDues {
        if let last = previous, due - last <= 5_000_000 {
            bursts[bursts.count - 1].count += 1
        } else {
            bursts.append((due, 1))
        }
        previous = due
    }
    let gaps = zip(bursts.dropFirst(), bursts).map { $0.start - $1.start }.sorted()
    let gap = gaps.isEmpty ? "" : String(format: "; bursts %.0f ms apart (median)", Double(gaps[gaps.count / 2]) / 1e6)
    print("  over 1 ms: \(slowDues.count) requests in \(bursts.count) bursts (each due within 5 ms of the one "
        + "before), the largest \(bursts.map(\.count).max() ?? 0)\(gap)")
}
print("  statuses: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: ", "))
print("  rules hashes answered: " + rulesSeen.sorted { $0.key < $1.key }
    .map { "\($0.key.prefix(19))… × \($0.value)" }.joined(separator: ", "))
exit(connectionErrors == 0 && issued == completed ? 0 : 1)
