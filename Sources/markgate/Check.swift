import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `markgate check "TEXT"`: would this listing be flagged, and where are the protected names in it.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the protected marks a listing names, with the matched characters and how they matched.",
        discussion: """
            Offsets are in Unicode scalars of TEXT. Exit status: 0 checked (hits or none), 2 bad arguments \
            or register.
            """
    )

    @Argument(help: "The listing text (title, description).")
    var text: String

    @Option(name: .long, help: "HS code of the goods, 6 to 10 digits.")
    var hs: String?

    @Option(name: .long, help: "Declared unit price (needs --currency).")
    var price: Double?

    @Option(name: .long, help: "ISO 4217 currency of --price, e.g. USD.")
    var currency: String?

    @Flag(name: .long, help: "Write one JSON object instead of the annotated text.")
    var json = false

    @OptionGroup var registerOptions: RegisterOptions

    func validate() throws {
        if let hs, !(6...10).contains(hs.count) || !hs.allSatisfy(\.isASCII) || !hs.allSatisfy(\.isNumber) {
            throw ValidationError("--hs must be 6 to 10 digits, got \"\(hs)\"")
        }
        if let price, !(price.isFinite && price >= 0) {
            throw ValidationError("--price must be a number of 0 or more")
        }
        if (price == nil) != (currency == nil) {
            throw ValidationError("--price and --currency go together")
        }
        if let currency, currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) {
            throw ValidationError("--currency must be an ISO 4217 code such as USD, got \"\(currency)\"")
        }
    }

    func run() throws {
        let register = try registerOptions.load()
        let matcher = MarkMatcher(register: register)
        let hits = matcher.hits(in: text)
        var prices: [PriceObservation] = []
        if let price, let currency {
            let marks = hits.compactMap { register.mark(id: $0.mark) }
            prices = PriceObservation.below(price: price, currency: currency, marks: marks)
        }
        var report = CheckReport(text: text, hsCode: hs, hits: hits, prices: prices)
        for mark in register.marks where !mark.genericNames.isEmpty {
            report.genericNames[mark.id] = Set(mark.genericNames)
        }
        print(json ? report.json() : report.annotated(color: isatty(STDOUT_FILENO) != 0))
    }
}
