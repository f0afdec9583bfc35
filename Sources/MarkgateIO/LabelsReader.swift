import MarkgateCore

/// Reads a labels file for `rules backtest`: CSV with a header naming `parcel_id`, `label` (`flag`, `clear`
/// or `skip`) and, optionally, `mark` (the mark a `flag` parcel must be named with) and `family`.
///
/// The format of `shared/devset/labels.csv`. Every bad row is a diagnostic with its line and column; the
/// rows that read well are still returned.
public enum LabelsReader {
    /// A diagnostic kind for a labels row that cannot be used.
    public static let badLabel = Diagnostic.Kind(rawValue: "bad-label")

    /// The labels by parcel id, and a diagnostic per problem (a later row for the same parcel replaces an
    /// earlier one, with a warning).
    public static func read(path: String) throws(ManifestOpenError) -> (labels: [String: Backtest.Label],
                                                                        diagnostics: [Diagnostic]) {
        var tokenizer = try CSVTokenizer(path: path)
        var labels: [String: Backtest.Label] = [:]
        var diagnostics: [Diagnostic] = []
        func problem(_ line: Int, _ column: Int, _ message: String, warning: Bool = false) {
            let location = SourceLocation(file: path, line: line, column: column)
            diagnostics.append(warning ? .warning(badLabel, at: location, message) : .error(badLabel, at: location, message))
        }
        var columns: [String: Int]?
        while let record = tokenizer.next() {
            if record.isBlank { continue }
            if let problem0 = record.problems.first {
                problem(problem0.line, problem0.column, problem0.message)
                continue
            }
            guard let header = columns else {
                var found: [String: Int] = [:]
                for (index, field) in record.fields.enumerated() {
                    found[field.trimmed.lowercased()] = index
                }
                guard found["parcel_id"] != nil, found["label"] != nil else {
                    problem(record.line, record.column, "the header must name the columns parcel_id and label")
                    return (labels, diagnostics)
                }
                columns = found
                continue
            }
            func value(_ name: String) -> CSVField? {
                header[name].flatMap { $0 < record.fields.count ? record.fields[$0] : nil }
            }
            guard let id = value("parcel_id"), !id.trimmed.isEmpty else {
                problem(record.line, record.column, "empty parcel_id")
                continue
            }
            guard let labelField = value("label"),
                  let kind = Backtest.Label.Kind(rawValue: labelField.trimmed.lowercased()) else {
                let field = value("label")
                problem(field?.line ?? record.line, field?.column ?? record.column,
                        "label \"\(field?.text ?? "")\" is not flag, clear or skip")
                continue
            }
            let mark = value("mark").map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 }
            if kind == .flag && mark == nil {
                problem(labelField.line, labelField.column, "a flag label needs the mark it must be named with")
                continue
            }
            let parcel = id.trimmed
            if labels[parcel] != nil {
                problem(id.line, id.column, "parcel \(parcel) is labelled again; the later row wins", warning: true)
            }
            let family = value("family").map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 }
            labels[parcel] = Backtest.Label(kind: kind, mark: mark, family: family)
        }
        if columns == nil { problem(1, 1, "no header row; expected parcel_id,label,mark,family") }
        return (labels, diagnostics)
    }
}

extension CSVField {
    /// The field's text without surrounding white space (as the manifest reader trims values).
    fileprivate var trimmed: String { ManifestFields.trimmed(text) }
}
