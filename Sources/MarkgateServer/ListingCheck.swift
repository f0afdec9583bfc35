import Foundation
import MarkgateCore
import MarkgateIO

/// A seller's listing as `POST /v1/check` takes it, and the sentences that explain its decision to the seller.
///
/// The listing is screened as `markgate check` screens text: a one-item parcel whose description is the title
/// and, on the next line, the description (a line break is a word boundary, so no name spans the two). The
/// decision's offsets are therefore into `title + "\n" + description`; the messages give them per field.
struct ListingCheck: Decodable, Sendable {
    var title: String
    var description: String?
    /// HS code of the goods (6 to 10 digits): the category that decides which marks' classes apply.
    var hs: String?
    var price: Double?
    var currency: String?
    var consignor: String?

    /// What is wrong with the listing's values, if anything.
    var problem: String? {
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "title is empty" }
        if let hs, !(6...10).contains(hs.count) || !hs.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return "hs must be 6 to 10 digits, got \"\(hs)\""
        }
        if let price, !(price.isFinite && price >= 0) { return "price must be a number of 0 or more" }
        if (price == nil) != (currency == nil) { return "price and currency go together" }
        if let currency, currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            return "currency must be an ISO 4217 code such as USD, got \"\(currency)\""
        }
        return nil
    }

    /// The one-item parcel screened.
    var parcel: Parcel {
        let text = description.map { title + "\n" + $0 } ?? title
        let item = ParcelItem(line: 1, description: text, hsCode: hs, unitPrice: price,
                              currency: currency?.uppercased())
        return Parcel(id: "listing", consignor: consignor, items: [item])
    }

    /// Sentences for the seller: the verdict, then each protected name found (field, characters, how), each
    /// that does not count and why, and each reason with its weight.
    func messages(for decision: Decision, register: Register) -> [String] {
        var messages: [String] = []
        let score = DecisionJSON.number(decision.score)
        switch decision.decision {
        case .clear: messages.append("this listing names no protected trademark that counts (score \(score))")
        case .review: messages.append("this listing will be reviewed before it is published (score \(score))")
        case .inspect: messages.append("this listing is held: it looks like counterfeit goods (score \(score))")
        }
        for hit in decision.hits {
            let (field, start, end) = place(hit)
            let others = register.mark(id: hit.mark)?.names.filter { $0 != hit.mark }.prefix(2) ?? []
            let mark = others.isEmpty ? hit.mark : "\(hit.mark) (\(others.joined(separator: ", ")))"
            messages.append("the \(field) names \(mark) at characters \(start)–\(end) (\"\(hit.matched)\"), "
                + Self.phrase(hit))
        }
        for suppressed in decision.suppressed {
            let (field, _, _) = place(suppressed.hit)
            messages.append("\"\(suppressed.hit.matched)\" in the \(field) does not count: \(suppressed.detail)")
        }
        for reason in decision.reasons {
            var detail = reason.detail
            if detail.hasPrefix("line 1: ") { detail.removeFirst(8) }
            detail = detail.replacingOccurrences(of: " on line 1", with: "")
                .replacingOccurrences(of: "line 1 ", with: "the listing ")
            messages.append("\(reason.rule) (+\(DecisionJSON.number(reason.weight))): \(detail)")
        }
        return messages
    }

    /// The field a hit is in and its offsets there.
    private func place(_ hit: Hit) -> (field: String, start: Int, end: Int) {
        let titleLength = title.unicodeScalars.count
        if description == nil || hit.start < titleLength { return ("title", hit.start, hit.end) }
        return ("description", hit.start - titleLength - 1, hit.end - titleLength - 1)
    }

    private static func phrase(_ hit: Hit) -> String {
        switch hit.method {
        case .exact: return "an exact match"
        case .normalized: return "the name written another way (case, width, spacing or punctuation)"
        case .variant: return "a known knock-off spelling of the name"
        case .homoglyph: return "the name in look-alike letters of another alphabet"
        case .fuzzy: return "a misspelling of the name (similarity \(DecisionJSON.number(hit.similarity)))"
        case .traditional: return "the name in traditional Chinese characters"
        case .homophone: return "a Chinese name with a same-sound character"
        case .pinyin: return "the Chinese name written in pinyin"
        }
    }
}
