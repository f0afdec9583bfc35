import MarkgateCore
import MarkgateIO

/// What `check` prints for people: the text with its hits marked, the decision, each hit and each reason.
struct CheckReport {
    var text: String
    var decision: Decision

    /// The text with each hit between brackets (in color on a terminal), then the decision and its evidence.
    func annotated(color: Bool) -> String {
        let open = color ? "\u{1B}[1;31m" : "[", close = color ? "\u{1B}[0m" : "]"
        var marked = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var position = 0
        for hit in decision.hits.sorted(by: { $0.start < $1.start }) where hit.start >= position {
            marked.append(contentsOf: scalars[position..<hit.start])
            marked.append(contentsOf: open.unicodeScalars)
            marked.append(contentsOf: scalars[hit.start..<hit.end])
            marked.append(contentsOf: close.unicodeScalars)
            position = hit.end
        }
        marked.append(contentsOf: scalars[position...])
        var lines = [String(marked)]
        lines.append("  \(decision.decision.rawValue) (score \(DecisionJSON.number(decision.score)))")
        for hit in decision.hits {
            let similarity = hit.similarity < 1 ? ", similarity \(DecisionJSON.number(hit.similarity))" : ""
            lines.append("  hit \(hit.mark)  \"\(hit.matched)\"  \(hit.start)..<\(hit.end)  "
                + "\(hit.method.rawValue)\(similarity)  (register name \"\(hit.name)\")")
        }
        for suppressed in decision.suppressed {
            lines.append("  not counted \(suppressed.hit.mark)  \"\(suppressed.hit.matched)\"  "
                + "\(suppressed.reason): \(suppressed.detail)")
        }
        for reason in decision.reasons {
            lines.append("  +\(DecisionJSON.number(reason.weight)) \(reason.rule): \(reason.detail)")
        }
        return lines.joined(separator: "\n")
    }
}
