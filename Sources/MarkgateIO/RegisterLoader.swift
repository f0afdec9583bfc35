import Foundation
import MarkgateCore
import Yams

/// Loads and validates a protection register (contract §1) from YAML.
///
/// Validation never stops at the first problem: every problem of every file is reported as a `Diagnostic`
/// pointing at the offending node (1-based line and column, columns in Unicode scalars).
public enum RegisterLoader {
    /// Parses one YAML document; never throws. `file` is used in diagnostics' locations only.
    ///
    /// `marks` holds only the marks that were found free of errors; `version` is the declared `version`
    /// when it is an integer.
    public static func parse(yaml: String, file: String) -> (marks: [MarkgateCore.Mark], version: Int?, diagnostics: [Diagnostic]) {
        let parsed = parseWithLocations(yaml: yaml, file: file)
        return (parsed.register.marks, parsed.version, parsed.diagnostics)
    }

    /// Loads a `.yaml`/`.yml` file, or a folder of `*.yaml`/`*.yml` files (sorted by name, `marks` concatenated,
    /// ids unique across all files). Throws `RegisterLoadError` holding every error diagnostic when there is any
    /// error; returns the register and the warnings otherwise.
    public static func load(path: String) throws(RegisterLoadError) -> (register: Register, warnings: [Diagnostic]) {
        let reading = loadWithLocations(path: path)
        guard reading.errors.isEmpty else { throw RegisterLoadError(diagnostics: reading.errors) }
        return (reading.register, reading.diagnostics)
    }

    /// Reads a register as `load(path:)` does, but never throws and also says where each mark is written.
    ///
    /// `register` holds the marks free of errors; `diagnostics` every error and warning, file by file in reading
    /// order (a path that cannot be read gives one `.unreadable` error). For tools that report on a whole register
    /// at once (`markgate register lint`).
    public static func loadWithLocations(path: String) -> RegisterReading {
        var reading = RegisterReading()
        let files: [String]
        do {
            files = try registerFiles(at: path)
        } catch {
            reading.diagnostics = error.diagnostics
            return reading
        }
        var firstDefinitions: [String: SourceLocation] = [:]
        for file in files {
            switch read(file: file) {
            case .unreadable(let diagnostic):
                reading.diagnostics.append(diagnostic)
            case .text(let text):
                let parsed = parse(yaml: text, file: file, firstDefinitions: &firstDefinitions)
                reading.register.marks += parsed.register.marks
                reading.version = parsed.version ?? reading.version
                reading.diagnostics += parsed.diagnostics
                reading.locations.merge(parsed.locations) { first, _ in first }
            }
        }
        return reading
    }

    /// Parses one YAML document as `parse(yaml:file:)` does, also saying where each mark is written.
    public static func parseWithLocations(yaml: String, file: String) -> RegisterReading {
        var firstDefinitions: [String: SourceLocation] = [:]
        return parse(yaml: yaml, file: file, firstDefinitions: &firstDefinitions)
    }
}

/// A register as read, with everything found on the way: see `RegisterLoader.loadWithLocations(path:)`.
public struct RegisterReading: Sendable, Hashable {
    /// The marks free of errors (version 1).
    public var register = Register(version: 1, marks: [])
    /// The declared `version` when it is an integer (of the last file that declares one).
    public var version: Int?
    /// Errors and warnings, in reading order.
    public var diagnostics: [Diagnostic] = []
    /// Where each mark of `register` is written, by id.
    public var locations: [String: MarkLocations] = [:]

    public init() {}

    /// The diagnostics of severity `.error`.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

// MARK: - Files

extension RegisterLoader {
    /// The file itself, or the folder's `*.yaml`/`*.yml` files (not hidden, not recursive) sorted by name.
    static func registerFiles(at path: String) throws(RegisterLoadError) -> [String] {
        let start = SourceLocation(file: path, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RegisterLoadError(diagnostics: [.error(.unreadable, at: start, "no such file or folder")])
        }
        guard isDirectory.boolValue else { return [path] }

        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw RegisterLoadError(diagnostics: [.error(.unreadable, at: start, "cannot list folder: \(error.localizedDescription)")])
        }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let files = names
            .filter { name in
                let lower = name.lowercased()
                return !name.hasPrefix(".") && (lower.hasSuffix(".yaml") || lower.hasSuffix(".yml"))
            }
            .sorted()
            .map { prefix + $0 }
            .filter { file in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
        guard !files.isEmpty else {
            throw RegisterLoadError(diagnostics: [.error(.unreadable, at: start, "folder holds no *.yaml or *.yml files")])
        }
        return files
    }

    enum FileText {
        case text(String)
        case unreadable(Diagnostic)
    }

    /// The file's text (UTF-8, a leading BOM dropped), or why it could not be read.
    static func read(file: String) -> FileText {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .unreadable(.error(.unreadable, at: SourceLocation(file: file, line: 1, column: 1), "cannot read file"))
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) {
            return .text(text)
        }
        let (line, column) = firstInvalidUTF8(in: bytes)
        return .unreadable(.error(.syntax, at: SourceLocation(file: file, line: line, column: column),
                               "file is not valid UTF-8"))
    }

    /// Line and column (in scalars) of the first byte that is not valid UTF-8.
    private static func firstInvalidUTF8(in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

// MARK: - Parsing

extension RegisterLoader {
    /// Parses one document, checking ids against (and adding them to) `firstDefinitions`, so that a folder's
    /// files share one id space.
    static func parse(
        yaml: String,
        file: String,
        firstDefinitions: inout [String: SourceLocation]
    ) -> RegisterReading {
        var reading = RegisterReading()
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            reading.diagnostics = [syntaxDiagnostic(for: error, yaml: yaml, file: file)]
            return reading
        }
        var validator = Validator(file: file, firstDefinitions: firstDefinitions)
        (reading.register.marks, reading.version) = validator.register(root)
        reading.locations = validator.locations
        firstDefinitions = validator.firstDefinitions
        // In reading order (a mark's fields are checked in a fixed order, not as written).
        let diagnostics = validator.diagnostics.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            return (l.line, l.column, a.offset) < (r.line, r.column, b.offset)
        }.map(\.element)
        reading.diagnostics = diagnostics
        return reading
    }

    /// A `.syntax` diagnostic at the position Yams reports.
    static func syntaxDiagnostic(for error: any Error, yaml: String, file: String) -> Diagnostic {
        func at(_ mark: Yams.Mark) -> SourceLocation {
            SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
        }
        func message(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            if problem.hasPrefix("but ") { return "\(context.text), \(problem)" }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        guard let yamlError = error as? YamlError else {
            return .error(.syntax, at: SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return .error(.syntax, at: at(mark), message(context, problem))
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return .error(.syntax, at: at(context.mark), "duplicate key \(keys) in a mapping")
        case let .reader(problem, offset, _, _):
            return .error(.syntax, at: location(ofCharacterOffset: offset ?? 0, in: yaml, file: file), problem)
        default:
            return .error(.syntax, at: SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(yamlError)")
        }
    }

    /// Line and scalar column of the character at `offset` (Yams reports reader errors in characters).
    private static func location(ofCharacterOffset offset: Int, in text: String, file: String) -> SourceLocation {
        let end = text.index(text.startIndex, offsetBy: max(offset, 0), limitedBy: text.endIndex) ?? text.endIndex
        var line = 1, column = 1
        for scalar in text[..<end].unicodeScalars {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
