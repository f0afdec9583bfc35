import Foundation
import MarkgateCore

/// An error that is a list of diagnostics (a register, rules file or table that could not be loaded).
///
/// Conformers hold only `diagnostics`; their description is one line per diagnostic,
/// `file:line:column: error: message [kind]`.
public protocol DiagnosticsError: Error, CustomStringConvertible, LocalizedError {
    var diagnostics: [Diagnostic] { get }
}

extension DiagnosticsError {
    /// One line per diagnostic: `file:line:column: error: message [kind]`.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }

    public var errorDescription: String? { description }
}
