import MarkgateCore

/// A register, rules file or HS table that could not be loaded for a new set: every diagnostic of each.
public struct ScreeningSetupError: DiagnosticsError, Hashable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}

extension ScreeningSetup.Snapshot {
    /// Loads and validates a register, a rules file and an HS → Nice table together, and builds the screener.
    ///
    /// Every file is loaded before anything is built, and all their errors are reported together; nothing
    /// half-loaded ever comes back. The hashes are of the files' bytes (contract §3: `register`, `rules`).
    /// A nil `hsTablePath` means no table (goods are not judged by class).
    public static func load(registerPath: String, rulesPath: String,
                            hsTablePath: String?) throws(ScreeningSetupError) -> ScreeningSetup.Snapshot {
        var diagnostics: [Diagnostic] = []
        var register: Register?
        do { register = try RegisterLoader.load(path: registerPath).register } catch {
            diagnostics += error.diagnostics
        }
        var rules: Rules?
        do { rules = try RulesLoader.load(path: rulesPath).rules } catch { diagnostics += error.diagnostics }
        var classes = NiceClassTable(prefixes: [:])
        if let hsTablePath {
            do { classes = try NiceClassTableLoader.load(path: hsTablePath) } catch { diagnostics += error.diagnostics }
        }
        let registerHash = ContentHash.register(at: registerPath)
        let rulesHash = ContentHash.file(at: rulesPath)
        guard diagnostics.isEmpty, let register, let rules, let registerHash, let rulesHash else {
            if diagnostics.isEmpty {
                diagnostics.append(.error(.unreadable, at: SourceLocation(file: registerPath, line: 1, column: 1),
                                          "cannot read the files to hash them"))
            }
            throw ScreeningSetupError(diagnostics: diagnostics)
        }
        return ScreeningSetup.Snapshot(screener: Screener(register: register, niceClasses: classes, rules: rules),
                                       registerHash: registerHash, rulesHash: rulesHash)
    }
}

extension ScreeningSetup {
    /// Reloads the register, rules and HS table from files (`Snapshot.load`); on any error the set in force
    /// stays and every diagnostic comes back.
    @discardableResult
    public func reload(registerPath: String, rulesPath: String,
                       hsTablePath: String?) -> Result<Snapshot, ScreeningSetupError> {
        reload { () throws(ScreeningSetupError) in
            try Snapshot.load(registerPath: registerPath, rulesPath: rulesPath, hsTablePath: hsTablePath)
        }
    }
}
