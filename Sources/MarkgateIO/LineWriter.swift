import Foundation

/// Writes lines to standard output or a file through a buffer, flushed when it fills and at the end.
public final class LineWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16

    /// Standard output.
    public init() {
        handle = FileHandle.standardOutput
        buffer.reserveCapacity(capacity)
    }

    /// A file, created or truncated.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(capacity)
    }

    public func write(line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= capacity { flush() }
    }

    /// Writes `line` (UTF-8, without its line break) and a line break.
    public func write(line: [UInt8]) {
        write(line: line[...])
    }

    /// Writes `line` (UTF-8, without its line break; a part of a batch's bytes) and a line break.
    public func write(line: ArraySlice<UInt8>) {
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        if buffer.count >= capacity { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
