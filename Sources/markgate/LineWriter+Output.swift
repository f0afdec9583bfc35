import ArgumentParser
import MarkgateIO

extension LineWriter {
    /// A writer to `--out PATH`, or to standard output without one; exit status 2 with a message when the file
    /// cannot be written.
    static func output(_ path: String?) throws -> LineWriter {
        do {
            return try path.map(LineWriter.init(path:)) ?? LineWriter()
        } catch {
            standardError("markgate: cannot write \(path ?? "")")
            throw ExitCode(2)
        }
    }
}
