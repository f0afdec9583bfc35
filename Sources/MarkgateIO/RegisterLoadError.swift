import Foundation
import MarkgateCore

/// A register that could not be loaded: every error found, in file order.
///
/// Thrown by `RegisterLoader.load(path:)` when any file of the register has at least one error; warnings are
/// not included (they are returned only when loading succeeds).
public struct RegisterLoadError: DiagnosticsError, Hashable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}
