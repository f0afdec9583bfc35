import Foundation
import MarkgateCore
@testable import MarkgateIO
import Testing

// The XML reader maps CEB fields from the bytes libxml2 hands (XMLValueBytes, ManifestFields.number(bytes:),
// XMLManifestFormat.code, XMLParcelBuilder.sameText): each must give what the String path gives.

/// Runs `body` on the UTF-8 bytes of `text`.
private func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    Array(text.utf8).withUnsafeBufferPointer(body)
}

/// A customs code read from a trimmed text the String way: digits through the table, letters upper-cased.
private func referenceCode(_ text: String, table: [String: String], letters: Int) -> String? {
    if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return table[text] }
    guard text.utf8.count == letters, text.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A })
    else { return nil }
    return text.uppercased()
}

/// Texts with and without white space (Unicode White_Space and not) at either end, ASCII or not.
private let trimCases: [String] = [
    "", " ", "  ", "abc", " abc ", "\tabc\n", "\u{0B}a\u{0C}", "\r\n", "\u{00A0}abc\u{3000}", "\u{0085}x\u{2028}",
    "\u{2029}y\u{202F}", "\u{1680}z\u{205F}", "\u{2000}\u{200A}", "\u{200B}x\u{200B}", "\u{FEFF}x", "运动鞋 ",
    " 运动鞋", "\u{3000}运动鞋\u{3000}", "a\u{0301}", " e\u{0301} ", "\u{2003}\u{2003}", "x \u{00A0} y", "𝐏 ", " 𝐏",
    "\u{00A0}", "\u{3000}", "é\u{00A0}", "\u{1F600}\u{2009}",
]

/// Whole numbers as `Int(text)` reads them, and what is not one.
private let lineCases: [String] = [
    "1", "0", "007", "+3", "-1", "-0", "+", "-", "", " 2", "2 ", "1.0", "12a", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "99999999999999999999", "٣", "１", "+-1", "++1",
]

/// Customs codes as given: numeric (known or not), letters of any case, and neither.
private let codeCases: [String] = [
    "502", "142", "0502", "999", "50", "usd", "Usd", "USD", "US", "us", "cn", "CNY", "ＵＳＤ", "1 4 2", "C N", "ÇN",
    "EURO", "e1", "",
]

/// Pairs of texts and whether they are equal as Strings (canonical equivalence), whatever their bytes.
private let sameTextCases: [(String, String, Bool)] = [
    ("a", "a", true), ("a", "b", false), ("ab", "a", false), ("café", "cafe\u{0301}", true),
    ("\u{00C5}", "\u{212B}", true), ("\u{FB01}", "fi", false), ("运动鞋", "运动鞋", true), ("运动鞋", "运动", false),
    ("", "", true),
]

@Suite("XML values read from bytes")
struct XMLValueBytesTests {
    @Test("trimmed bytes are the trimmed String", arguments: trimCases)
    func trimmed(_ text: String) {
        let fromBytes = withBytes(text) { String(decoding: XMLValueBytes.trimmed($0), as: UTF8.self) }
        #expect(Array(fromBytes.utf8) == Array(ManifestFields.trimmed(text).utf8), "\(text.debugDescription)")
    }

    @Test("line numbers from bytes are Int(text) from 1", arguments: lineCases)
    func lineNumber(_ text: String) {
        #expect(withBytes(text, XMLValueBytes.lineNumber) == XMLParcelBuilder.lineNumber(text))
    }

    @Test("numbers from bytes are ManifestFields.number(text), bit for bit", arguments: ManifestFieldsTests.numberCases)
    func number(_ text: String) {
        #expect(withBytes(text) { ManifestFields.number(bytes: $0) }?.bitPattern
                == ManifestFields.number(text)?.bitPattern, "\(text)")
        #expect(withBytes(text) { ManifestFields.isHSCode(bytes: $0) } == ManifestFields.isHSCode(text))
    }

    @Test("HS codes from bytes", arguments: ["640411", "6404110000", "64041", "64041100001", "6404.1", "６４０４１１", ""])
    func hsCode(_ text: String) {
        #expect(withBytes(text) { ManifestFields.isHSCode(bytes: $0) } == ManifestFields.isHSCode(text))
    }

    @Test("customs codes from bytes are the table's or the letters upper-cased", arguments: codeCases)
    func code(_ text: String) {
        let currency = withBytes(text) {
            XMLManifestFormat.code($0, table: XMLManifestFormat.currencyCodes, letters: 3)
        }
        let country = withBytes(text) { XMLManifestFormat.code($0, table: XMLManifestFormat.countryCodes, letters: 2) }
        #expect(currency == referenceCode(text, table: XMLManifestFormat.customsCurrencies, letters: 3))
        #expect(country == referenceCode(text, table: XMLManifestFormat.customsCountries, letters: 2))
    }

    @Test("every code of the tables is found from its bytes")
    func everyTableCode() {
        for (table, codes) in [(XMLManifestFormat.customsCurrencies, XMLManifestFormat.currencyCodes),
                               (XMLManifestFormat.customsCountries, XMLManifestFormat.countryCodes)] {
            for (key, value) in table {
                #expect(withBytes(key) { codes[$0] } == value, "\(key)")
            }
        }
    }

    @Test("description parts compare as Strings do", arguments: sameTextCases.indices)
    func sameText(_ index: Int) {
        let (left, right, equal) = sameTextCases[index]
        #expect(equal == (left == right))
        let same = withBytes(left) { leftBytes in
            withBytes(right) { rightBytes in XMLParcelBuilder.sameText(leftBytes, rightBytes) }
        }
        #expect(same == equal, "\(left.debugDescription) vs \(right.debugDescription)")
    }

    @Test("field names and their lengths")
    func fieldNames() {
        for field in XMLField.allCases {
            #expect(field.nameLength == field.rawValue.utf8.count)
            #expect(field.index >= 0 && field.index < 17)
            let bytes = Array(field.rawValue.utf8) + [0]
            #expect(bytes.withUnsafeBufferPointer { XMLField(localName: $0.baseAddress!) } == field)
            let names = XMLFieldNames()
            #expect(bytes.withUnsafeBufferPointer { names.field($0.baseAddress!) } == field)
            #expect(bytes.withUnsafeBufferPointer { names.field($0.baseAddress!) } == field)
        }
        #expect(Set(XMLField.allCases.map(\.index)).count == XMLField.allCases.count)
    }

    @Test("generic attribute names are told in place; other names are skipped",
          arguments: ["id", "consignor", "consignee", "origin", "line", "hs", "qty", "price", "currency", "ids", "i",
                      "h", "consign", "Currency", "qty1", "x", ""])
    func genericAttributeNames(_ name: String) {
        let bytes = Array(name.utf8) + [0]
        let told = bytes.withUnsafeBufferPointer { XMLGenericAttributes.Name(localName: $0.baseAddress!) }
        #expect(told == XMLGenericAttributes.Name(rawValue: name))
    }
}

// MARK: - Through the reader

/// A CEB field's content as written in the XML, and the text libxml2 hands for it.
struct XMLFieldTextCase: Sendable, CustomTestStringConvertible {
    var written: String
    var text: String

    var testDescription: String { written.debugDescription }
}

private let fieldTextCases: [XMLFieldTextCase] = [
    XMLFieldTextCase(written: "12.50", text: "12.50"),
    XMLFieldTextCase(written: "  12.50\n      ", text: "  12.50\n      "),
    XMLFieldTextCase(written: "\u{00A0}7\u{3000}", text: "\u{00A0}7\u{3000}"),
    XMLFieldTextCase(written: "&#x20;5&#xA0;", text: " 5\u{00A0}"),
    XMLFieldTextCase(written: "<![CDATA[ 42 ]]>", text: " 42 "),
    XMLFieldTextCase(written: "1&amp;2", text: "1&2"),
    XMLFieldTextCase(written: "&#x35;&#x30;&#x32;", text: "502"),
    XMLFieldTextCase(written: "<![CDATA[502]]>", text: "502"),
    XMLFieldTextCase(written: "5<!-- a comment -->0<?pi x?>2", text: "502"),
    XMLFieldTextCase(written: "1<ceb:x>4</ceb:x>2", text: "142"),
    XMLFieldTextCase(written: " usd ", text: " usd "),
    XMLFieldTextCase(written: "Us", text: "Us"),
    XMLFieldTextCase(written: "ＵＳＤ", text: "ＵＳＤ"),
    XMLFieldTextCase(written: "1 4 2", text: "1 4 2"),
    XMLFieldTextCase(written: "0142", text: "0142"),
    XMLFieldTextCase(written: "999", text: "999"),
    XMLFieldTextCase(written: "\tcn\t", text: "\tcn\t"),
    XMLFieldTextCase(written: "ÇN", text: "ÇN"),
    XMLFieldTextCase(written: "+3", text: "+3"),
    XMLFieldTextCase(written: "-0", text: "-0"),
    XMLFieldTextCase(written: "007", text: "007"),
    XMLFieldTextCase(written: "0", text: "0"),
    XMLFieldTextCase(written: "1.0", text: "1.0"),
    XMLFieldTextCase(written: "9223372036854775808", text: "9223372036854775808"),
    XMLFieldTextCase(written: "1e2", text: "1e2"),
    XMLFieldTextCase(written: ".5", text: ".5"),
    XMLFieldTextCase(written: "inf", text: "inf"),
    XMLFieldTextCase(written: "12,50", text: "12,50"),
    XMLFieldTextCase(written: "٣", text: "٣"),
    XMLFieldTextCase(written: "１２", text: "１２"),
    XMLFieldTextCase(written: " 6404110000 ", text: " 6404110000 "),
    XMLFieldTextCase(written: "6404.11", text: "6404.11"),
    XMLFieldTextCase(written: "64041100001", text: "64041100001"),
    XMLFieldTextCase(written: "NIKE &amp; co", text: "NIKE & co"),
    XMLFieldTextCase(written: "运动鞋\u{2003}", text: "运动鞋\u{2003}"),
    XMLFieldTextCase(written: "\u{0085}x\u{2028}", text: "\u{0085}x\u{2028}"),
    XMLFieldTextCase(written: "cafe\u{0301}", text: "cafe\u{0301}"),
    XMLFieldTextCase(written: "", text: ""),
    XMLFieldTextCase(written: " ", text: " "),
]

/// The fields whose value is read from bytes, each tried with every case.
private let bytesFields = ["gnum", "gcode", "qty", "price", "currency", "country", "gname"]

@Suite("XML fields read from bytes, through the reader")
struct XMLFieldBytesReaderTests {
    /// One CEB621 parcel whose only item has `field` written as `written` (and a description, unless the field is
    /// `gname`); the item the String path makes of `text`, or the error message it gives.
    private static func expected(field: String, text: String) -> Result<ParcelItem, RecordError> {
        let trimmed = ManifestFields.trimmed(text)
        func failure(_ message: String) -> Result<ParcelItem, RecordError> {
            .failure(RecordError(parcel: "P1", location: SourceLocation(file: "f.xml", line: 1, column: 1),
                                 message: message))
        }
        var item = ParcelItem(line: 1, description: field == "gname" ? trimmed : "d")
        guard !trimmed.isEmpty else {
            return field == "gname" ? failure("InventoryList without gname, gmodel or itemName") : .success(item)
        }
        switch field {
        case "gnum":
            guard let line = XMLParcelBuilder.lineNumber(trimmed) else {
                return failure("bad gnum \"\(trimmed)\": expected a whole number from 1")
            }
            item.line = line
        case "gcode":
            guard ManifestFields.isHSCode(trimmed) else { return failure("bad gcode \"\(trimmed)\": expected 6 to 10 digits") }
            item.hsCode = trimmed
        case "qty", "price":
            guard let number = XMLParcelBuilder.number(trimmed) else {
                return failure("bad \(field) \"\(trimmed)\": expected a number ≥ 0")
            }
            if field == "qty" { item.quantity = number } else { item.unitPrice = number }
        case "currency":
            item.currency = referenceCode(trimmed, table: XMLManifestFormat.customsCurrencies, letters: 3)
        case "country":
            item.origin = referenceCode(trimmed, table: XMLManifestFormat.customsCountries, letters: 2)
        default:
            break
        }
        return .success(item)
    }

    @Test("each field read from bytes is what the String path makes of its text", arguments: fieldTextCases)
    func field(_ testCase: XMLFieldTextCase) {
        for field in bytesFields {
            let description = field == "gname" ? "" : "<ceb:gname>d</ceb:gname>"
            let document = "<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:Inventory>"
                + "<ceb:InventoryHead><ceb:logisticsNo>P1</ceb:logisticsNo></ceb:InventoryHead><ceb:InventoryList>"
                + "\(description)<ceb:\(field)>\(testCase.written)</ceb:\(field)></ceb:InventoryList>"
                + "</ceb:Inventory></ceb:CEB621Message>"
            let records = Array(XMLManifestReader(bytes: Array(document.utf8), file: "f.xml"))
            #expect(records.count == 1, "\(field): \(records)")
            switch (records.first, Self.expected(field: field, text: testCase.text)) {
            case (.parcel(let parcel, _), .success(let item)):
                #expect(parcel.items == [item], "\(field)")
            case (.error(let error), .failure(let expected)):
                #expect(error.message == expected.message, "\(field)")
            case (let record, let expected):
                Issue.record("\(field): read \(String(describing: record)), expected \(expected)")
            }
        }
    }
}

/// A field's start tag as written, its end tag, and the line and column of its `<` (the tag begins line 2 after
/// `before`).
struct XMLStartTagCase: Sendable, CustomTestStringConvertible {
    var before = "  "
    var tag: String
    var end = "</ceb:price>"
    var line = 2
    var column = 3

    var testDescription: String { tag.debugDescription }
}

private let startTagCases: [XMLStartTagCase] = [
    XMLStartTagCase(tag: "<ceb:price>"),
    XMLStartTagCase(tag: "<ceb:price a=\"1\">"),
    XMLStartTagCase(tag: "<ceb:price >"),
    XMLStartTagCase(tag: "<ceb:price\n>"),
    XMLStartTagCase(tag: "<ceb:price\n  a=\"1\"\n>"),
    XMLStartTagCase(tag: "<ceb:price a=\">\">"),
    XMLStartTagCase(tag: "<ceb:price a='x'>"),
    XMLStartTagCase(tag: "<price xmlns=\"http://www.chinaport.gov.cn/ceb\">", end: "</price>"),
    XMLStartTagCase(tag: "<运:price xmlns:运=\"http://www.chinaport.gov.cn/ceb\">", end: "</运:price>"),
    XMLStartTagCase(before: "运动 ", tag: "<ceb:price>", column: 4),
    XMLStartTagCase(before: "<!-- <ceb:price> -->", tag: "<ceb:price>", column: 21),
    XMLStartTagCase(before: "\n\t", tag: "<ceb:price\ta=\"1\">", line: 3, column: 2),
]

@Suite("XML field start tags")
struct XMLStartTagTests {
    @Test("a bad field is reported at its start tag's <, however the tag is written", arguments: startTagCases)
    func position(_ testCase: XMLStartTagCase) {
        let document = "<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:Inventory>"
            + "<ceb:InventoryHead><ceb:logisticsNo>P1</ceb:logisticsNo></ceb:InventoryHead><ceb:InventoryList>"
            + "<ceb:gname>d</ceb:gname>\n\(testCase.before)\(testCase.tag)x\(testCase.end)</ceb:InventoryList>"
            + "</ceb:Inventory></ceb:CEB621Message>"
        let records = Array(XMLManifestReader(bytes: Array(document.utf8), file: "f.xml"))
        guard case .error(let error) = records.first, records.count == 1 else {
            Issue.record("\(records)")
            return
        }
        #expect(error.message == "bad price \"x\": expected a number ≥ 0")
        #expect(error.location.line == testCase.line && error.location.column == testCase.column,
                "\(error.location.line):\(error.location.column)")
    }
}
