import Foundation
import MarkgateCore
import MarkgateIO

/// Turns a false-alarm verdict into allowlist entries of the rules file: the parcel's consignor × each mark its
/// decision hit, with the reviewer's note.
///
/// The entries are written into the YAML text as block-list items (`- {consignor: "…", mark: "…", note: "…"}`)
/// right under `allowlist:`, so every comment and every other line stays as it was; `allowlist: []` becomes a
/// block list, and a file without `allowlist` gets one at its end. The new text is loaded with `RulesLoader`
/// before it replaces the file (written beside it, then renamed over it), so a file that would not load is
/// never written. Pairs already allowlisted are not added again.
public enum AllowlistPromotion {
    /// The pairs a verdict clears. Throws unless the verdict is `false-alarm` and the decision names a
    /// consignor and hits at least one mark.
    public static func pairs(review: ReviewRecord,
                             decision: RecordedDecision) throws(CaseBookError) -> [Rules.DecidedPair] {
        guard review.verdict == .falseAlarm else {
            throw .badRequest(review.parcel, "the verdict in force on \(review.parcel) is \(review.verdict.rawValue), "
                              + "not false-alarm: only a false alarm can be allowlisted")
        }
        guard let parcel = decision.parcelValue, let consignor = parcel.consignor, !consignor.isEmpty else {
            throw .badRequest(review.parcel, "parcel \(review.parcel) names no consignor, so there is no consignor × "
                              + "mark pair to allowlist")
        }
        let marks = decision.markIDs
        guard !marks.isEmpty else {
            throw .badRequest(review.parcel, "the decision on \(review.parcel) hits no mark: nothing to allowlist")
        }
        let note = "\(review.note) (false alarm by \(review.reviewer), review seq \(review.seq), decision seq "
            + "\(decision.seq))"
        return marks.map { Rules.DecidedPair(consignor: consignor, mark: $0, note: note) }
    }

    /// `text` with `pairs` added to its allowlist; throws when the allowlist is written in a form this cannot
    /// add to (a non-empty flow list `[…]`).
    public static func adding(_ pairs: [Rules.DecidedPair], to text: String,
                              file: String) throws(CaseBookError) -> String {
        var lines = text.components(separatedBy: "\n")
        func item(_ pair: Rules.DecidedPair, indent: String) -> String {
            "\(indent)- {consignor: \(DecisionJSON.string(pair.consignor)), mark: \(DecisionJSON.string(pair.mark)), "
                + "note: \(DecisionJSON.string(pair.note ?? ""))}"
        }
        guard let index = lines.firstIndex(where: { $0.hasPrefix("allowlist:") }) else {
            if lines.last == "" { lines.removeLast() }
            lines.append("allowlist:")
            lines += pairs.map { item($0, indent: "  ") }
            return lines.joined(separator: "\n") + "\n"
        }
        let rest = lines[index].dropFirst("allowlist:".count)
        var value = Substring(rest)
        var comment = ""
        if let hash = rest.range(of: " #") ?? (rest.hasPrefix("#") ? rest.startIndex..<rest.startIndex : nil) {
            value = rest[..<hash.lowerBound]
            comment = " " + rest[hash.lowerBound...].trimmingCharacters(in: .whitespaces)
        }
        var indent = "  "
        switch value.trimmingCharacters(in: .whitespaces) {
        case "[]":
            lines[index] = "allowlist:" + comment
        case "":
            // A block list: use its items' indentation.
            for line in lines[(index + 1)...] {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                if trimmed.hasPrefix("- ") { indent = String(line.prefix { $0 == " " }) }
                break
            }
        default:
            throw .badRequest(file, "\(file): the allowlist is written as a flow list; write it as a block list "
                              + "(one \"- {consignor: …, mark: …}\" per line) to add to it")
        }
        lines.insert(contentsOf: pairs.map { item($0, indent: indent) }, at: index + 1)
        return lines.joined(separator: "\n")
    }

    /// Adds `pairs` to the rules file at `path` (those not there yet), validates the result with `RulesLoader`
    /// and replaces the file atomically; returns the pairs added (empty when all were there already).
    public static func promote(_ pairs: [Rules.DecidedPair], rulesPath path: String) throws(CaseBookError)
        -> [Rules.DecidedPair] {
        let current: (rules: Rules, text: String, warnings: [Diagnostic], locations: RulesLocations)
        do {
            current = try RulesLoader.load(path: path)
        } catch {
            throw .badRequest(path, error.diagnostics.map(\.description).joined(separator: "\n"))
        }
        let new = pairs.filter { pair in
            !current.rules.allowlist.contains { $0.consignor == pair.consignor && $0.mark == pair.mark }
        }
        guard !new.isEmpty else { return [] }
        let text = try adding(new, to: current.text, file: path)
        let (rules, diagnostics, _) = RulesLoader.parse(yaml: text, file: path)
        guard let rules, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw .badRequest(path, "the rules with the new allowlist entries would not load, so \(path) is left as "
                              + "it was:\n" + diagnostics.map(\.description).joined(separator: "\n"))
        }
        guard new.allSatisfy({ pair in rules.allowlist.contains { $0.consignor == pair.consignor
                && $0.mark == pair.mark } }) else {
            throw .badRequest(path, "the new allowlist entries were not read back from \(path); it is left as it was")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).promote-\(getpid())")
        do {
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, path) == 0 else {
                throw CaseBookError.badRequest(path, "cannot replace \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw (error as? CaseBookError) ?? .badRequest(path, "cannot write beside \(path): \(error)")
        }
        return new
    }
}

extension RecordedDecision {
    /// The distinct marks of the decision's hits, in order (read from its JSON line).
    public var markIDs: [String] {
        guard let data = decisionJSON.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let hits = object["hits"] as? [[String: Any]] else { return [] }
        var marks: [String] = []
        for hit in hits {
            if let mark = hit["mark"] as? String, !marks.contains(mark) { marks.append(mark) }
        }
        return marks
    }

    /// The parcel, read back from its stored JSON (nil for an error record).
    public var parcelValue: Parcel? {
        guard let parcelJSON else { return nil }
        for record in JSONLinesManifestReader(bytes: Array(parcelJSON.utf8), file: "case book") {
            if case .parcel(let parcel, _) = record { return parcel }
        }
        return nil
    }
}
