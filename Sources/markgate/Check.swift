import ArgumentParser
import Foundation
import MarkgateCore
import MarkgateIO

/// `markgate check "TEXT"`: would this listing be flagged, and why.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen one listing: the decision, the protected names it holds and how they matched.",
        discussion: """
            The listing is screened as a one-item parcel. Offsets are in Unicode scalars of TEXT. Exit status: \
            0 checked (whatever the decision), 2 bad arguments, register, HS table or rules.
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

    @Option(name: .long, help: "The seller or consignor (licensees of a mark clear).")
    var consignor: String?

    @Flag(name: .long, help: "Write the decision as one JSON object (contract §3) instead of the annotated text.")
    var json = false

    @OptionGroup var registerOptions: RegisterOptions
    @OptionGroup var hsTable: HSTableOptions
    @OptionGroup var rulesOptions: RulesOptions

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
        let rules = try rulesOptions.load()
        let screener = Screener(register: register, niceClasses: try hsTable.load(), rules: rules.rules)
        let item = ParcelItem(line: 1, description: text, hsCode: hs, unitPrice: price,
                              currency: currency?.uppercased())
        var decision = screener.screen(Parcel(id: "listing", consignor: consignor, items: [item]))
        decision.register = ContentHash.register(at: registerOptions.path)
        decision.rules = rules.hash
        print(json ? DecisionJSON.line(decision) : CheckReport(text: text, decision: decision)
            .annotated(color: isatty(STDOUT_FILENO) != 0))
    }
}
