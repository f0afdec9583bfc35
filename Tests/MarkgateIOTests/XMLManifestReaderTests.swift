import Foundation
import MarkgateCore
import MarkgateIO
import Testing

// MARK: - Helpers

private func xmlRead(_ input: String, file: String = "test.xml") -> [ManifestRecord] {
    Array(XMLManifestReader(bytes: Array(input.utf8), file: file))
}

/// The same bytes fed one at a time through the chunk initializer, to cross every piece boundary.
private func xmlReadByteByByte(_ bytes: [UInt8], file: String = "test.xml") -> [ManifestRecord] {
    var position = 0
    let reader = XMLManifestReader(file: file) {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return [bytes[position]]
    }
    return Array(reader)
}

/// One line per record: `P1 items=2 @3:3` for a parcel (id, item count, position of its start tag), and
/// `P3! line 4, column 4: message` for an error (`-!` when no parcel id could be read).
private func xmlSummary(_ record: ManifestRecord) -> String {
    switch record {
    case .parcel(let parcel, let source):
        return "\(parcel.id) items=\(parcel.items.count) @\(source.line):\(source.column)"
    case .error(let error):
        return "\(error.parcel ?? "-")! \(error)"
    }
}

private func xmlItem(_ line: Int, _ description: String, hs: String? = nil, qty: Double? = nil,
                     price: Double? = nil, currency: String? = nil, origin: String? = nil) -> ParcelItem {
    ParcelItem(line: line, description: description, hsCode: hs, quantity: qty, unitPrice: price,
               currency: currency, origin: origin)
}

private let cebNamespace = "http://www.chinaport.gov.cn/ceb"

/// A CEB621 `Inventory` with the `ceb:` prefix; `head` and `lists` are the inner XML of the head and of each list.
private func inventory(_ head: String, _ lists: [String]) -> String {
    "  <ceb:Inventory>\n    <ceb:InventoryHead>\(head)</ceb:InventoryHead>\n"
        + lists.map { "    <ceb:InventoryList>\($0)</ceb:InventoryList>\n" }.joined()
        + "  </ceb:Inventory>\n"
}

private func ceb621(_ inventories: [String]) -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB621Message xmlns:ceb=\"\(cebNamespace)\" version=\"1.0\">\n"
        + inventories.joined() + "</ceb:CEB621Message>\n"
}

/// A three-parcel CEB621 message, P1 to P3, one item each; parcel n starts on line 3 + 4(n-1).
private func threeInventories(price2: String = "12.50") -> String {
    ceb621([
        inventory("<ceb:logisticsNo>P1</ceb:logisticsNo><ceb:currency>502</ceb:currency>",
                  ["<ceb:gnum>1</ceb:gnum><ceb:gname>bag</ceb:gname><ceb:price>3</ceb:price>"]),
        inventory("<ceb:logisticsNo>P2</ceb:logisticsNo><ceb:currency>502</ceb:currency>",
                  ["<ceb:gnum>1</ceb:gnum><ceb:gname>shoes</ceb:gname><ceb:price>\(price2)</ceb:price>"]),
        inventory("<ceb:logisticsNo>P3</ceb:logisticsNo><ceb:currency>502</ceb:currency>",
                  ["<ceb:gnum>1</ceb:gnum><ceb:gname>cap</ceb:gname><ceb:price>5</ceb:price>"]),
    ])
}

// MARK: - Well-formed documents

struct XMLGoodCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// Whether the input is given to the reader as UTF-16 (little-endian, with a byte-order mark).
    var utf16 = false
    /// Each parcel with the line and column of its start tag.
    var expected: [(parcel: Parcel, line: Int, column: Int)]

    var testDescription: String { name }

    /// The bytes the reader gets.
    var bytes: [UInt8] {
        guard utf16 else { return Array(input.utf8) }
        return [0xFF, 0xFE] + input.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }
}

private let xmlGoodCases: [XMLGoodCase] = [
    XMLGoodCase(
        name: "CEB621 with the ceb: prefix: head currency, list currency over it, country as given",
        input: ceb621([
            inventory("""
                <ceb:logisticsNo> D1 </ceb:logisticsNo><ceb:copNo>C1</ceb:copNo>\
                <ceb:ebcName>Ningbo Jiali Trading Co., Ltd.</ceb:ebcName><ceb:buyerName>Li Lei</ceb:buyerName>\
                <ceb:currency>502</ceb:currency>
                """, [
                    "<ceb:gnum>1</ceb:gnum><ceb:gcode>6404110000</ceb:gcode><ceb:gname>NIKE 运动鞋</ceb:gname>"
                        + "<ceb:country>vn</ceb:country><ceb:qty>2</ceb:qty><ceb:price>12.5</ceb:price>",
                    "<ceb:gnum>2</ceb:gnum><ceb:gcode>392490</ceb:gcode><ceb:gname>baby bottle</ceb:gname>"
                        + "<ceb:currency>142</ceb:currency><ceb:qty>10</ceb:qty><ceb:price>2.76</ceb:price>",
                ]),
        ]),
        expected: [
            (Parcel(id: "D1", consignor: "Ningbo Jiali Trading Co., Ltd.", consignee: "Li Lei", items: [
                xmlItem(1, "NIKE 运动鞋", hs: "6404110000", qty: 2, price: 12.5, currency: "USD", origin: "VN"),
                xmlItem(2, "baby bottle", hs: "392490", qty: 10, price: 2.76, currency: "CNY"),
            ]), 3, 3),
        ]
    ),
    XMLGoodCase(
        name: "CEB621 in no namespace, without an XML declaration",
        input: """
        <CEB621Message><Inventory><InventoryHead><logisticsNo>D2</logisticsNo></InventoryHead>
        <InventoryList><gname>tent</gname><gcode>630622</gcode><currency>303</currency></InventoryList>
        </Inventory></CEB621Message>
        """,
        expected: [(Parcel(id: "D2", items: [xmlItem(1, "tent", hs: "630622", currency: "GBP")]), 1, 16)]
    ),
    XMLGoodCase(
        name: "CEB621 with a default namespace",
        input: """
        <CEB621Message xmlns="\(cebNamespace)">
        <Inventory><InventoryHead><logisticsNo>D3</logisticsNo></InventoryHead>
        <InventoryList><gname>cap</gname><currency>300</currency></InventoryList></Inventory>
        </CEB621Message>
        """,
        expected: [(Parcel(id: "D3", items: [xmlItem(1, "cap", currency: "EUR")]), 2, 1)]
    ),
    XMLGoodCase(
        name: "copNo when logisticsNo is absent or empty",
        input: ceb621([
            inventory("<ceb:copNo>COP-1</ceb:copNo>", ["<ceb:gname>bag</ceb:gname>"]),
            inventory("<ceb:logisticsNo> </ceb:logisticsNo><ceb:copNo>COP-2</ceb:copNo>", ["<ceb:gname>hat</ceb:gname>"]),
        ]),
        expected: [
            (Parcel(id: "COP-1", items: [xmlItem(1, "bag")]), 3, 3),
            (Parcel(id: "COP-2", items: [xmlItem(1, "hat")]), 7, 3),
        ]
    ),
    XMLGoodCase(
        name: "gname, gmodel and itemName joined (each once); gnum absent → position; unknown codes absent",
        input: ceb621([
            inventory("<ceb:logisticsNo>D4</ceb:logisticsNo><ceb:currency>999</ceb:currency>", [
                "<ceb:gname>手提包</ceb:gname><ceb:gmodel> LV Neverfull 款 </ceb:gmodel><ceb:itemName>手提包</ceb:itemName>",
                "<ceb:itemName>Rolex watch</ceb:itemName><ceb:gmodel></ceb:gmodel><ceb:country>502</ceb:country>"
                    + "<ceb:currency>USD</ceb:currency>",
                "<ceb:gname>scarf</ceb:gname><ceb:country>999</ceb:country><ceb:qty>1e1</ceb:qty>",
            ]),
        ]),
        expected: [
            (Parcel(id: "D4", items: [
                xmlItem(1, "手提包 LV Neverfull 款"),
                xmlItem(2, "Rolex watch", currency: "USD", origin: "US"),
                xmlItem(3, "scarf", qty: 10),
            ]), 3, 3),
        ]
    ),
    XMLGoodCase(
        name: "CDATA, character references and predefined entities in text; other elements skipped",
        input: ceb621([
            "  <ceb:BaseTransfer><ceb:copCode>X</ceb:copCode></ceb:BaseTransfer>\n",
            inventory("<ceb:logisticsNo>D5</ceb:logisticsNo><!-- a <comment> -->", [
                "<ceb:gname><![CDATA[TIFFANY <&> CO]]> ring &amp; &#x8033;&#29615;</ceb:gname><ceb:note>x</ceb:note>",
            ]),
        ]),
        expected: [(Parcel(id: "D5", items: [xmlItem(1, "TIFFANY <&> CO ring & 耳环")]), 4, 3)]
    ),
    XMLGoodCase(
        name: "CEB311 order: itemName, gname and itemDescribe joined, head currency, itemNo as line when numeric",
        input: """
        <?xml version="1.0" encoding="UTF-8"?>
        <ceb:CEB311Message xmlns:ceb="\(cebNamespace)" guid="g" version="1.0">
          <ceb:Order>
            <ceb:OrderHead>
              <ceb:orderNo>ORD-1</ceb:orderNo>
              <ceb:ebcName>Shenzhen Seller Co.</ceb:ebcName>
              <ceb:consignee>Han Meimei</ceb:consignee>
              <ceb:currency>142</ceb:currency>
            </ceb:OrderHead>
            <ceb:OrderList>
              <ceb:gnum>1</ceb:gnum>
              <ceb:itemNo>SKU-88</ceb:itemNo>
              <ceb:itemName>Apple iPhone 15 case</ceb:itemName>
              <ceb:itemDescribe>silicone, blue</ceb:itemDescribe>
              <ceb:qty>3</ceb:qty>
              <ceb:price>19.9</ceb:price>
              <ceb:country>142</ceb:country>
            </ceb:OrderList>
            <ceb:OrderList>
              <ceb:itemNo>2</ceb:itemNo>
              <ceb:gname>phone strap</ceb:gname>
              <ceb:gcode>420232</ceb:gcode>
              <ceb:currency>502</ceb:currency>
            </ceb:OrderList>
          </ceb:Order>
          <ceb:Order>
            <ceb:OrderHead><ceb:orderNo>ORD-2</ceb:orderNo><ceb:buyerName>Buyer B</ceb:buyerName></ceb:OrderHead>
            <ceb:OrderList><ceb:itemName>mug</ceb:itemName></ceb:OrderList>
          </ceb:Order>
        </ceb:CEB311Message>
        """,
        expected: [
            (Parcel(id: "ORD-1", consignor: "Shenzhen Seller Co.", consignee: "Han Meimei", items: [
                xmlItem(1, "Apple iPhone 15 case silicone, blue", qty: 3, price: 19.9, currency: "CNY", origin: "CN"),
                xmlItem(2, "phone strap", hs: "420232", currency: "USD"),
            ]), 3, 3),
            (Parcel(id: "ORD-2", consignee: "Buyer B", items: [xmlItem(1, "mug")]), 26, 3),
        ]
    ),
    XMLGoodCase(
        name: "generic manifest: attributes as in the contract, item origin over the parcel's",
        input: """
        <manifest>
          <parcel id="P1" consignor="Ningbo Jiali" consignee="buyer-1" origin="cn">
            <item line="1" hs="640411" qty="2" price="12.5" currency="usd">NIKE running shoes</item>
            <item hs="" qty=" 1 " origin="VN">
              Fake &quot;Rolex&quot; watch
            </item>
          </parcel>
          <parcel id="P2"><item line="7">bag</item></parcel>
          <other/>
        </manifest>
        """,
        expected: [
            (Parcel(id: "P1", consignor: "Ningbo Jiali", consignee: "buyer-1", items: [
                xmlItem(1, "NIKE running shoes", hs: "640411", qty: 2, price: 12.5, currency: "USD", origin: "CN"),
                xmlItem(2, "Fake \"Rolex\" watch", qty: 1, origin: "VN"),
            ]), 2, 3),
            (Parcel(id: "P2", items: [xmlItem(7, "bag")]), 8, 3),
        ]
    ),
    XMLGoodCase(
        name: "UTF-16 with a byte-order mark, declared in the document",
        input: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<manifest><parcel id=\"P16\"><item>运动鞋 NIKE</item>"
            + "</parcel><parcel id=\"𝐏\"><item>x</item></parcel><parcel id=\"Q\"><item>y</item></parcel></manifest>",
        utf16: true,
        expected: [(Parcel(id: "P16", items: [xmlItem(1, "运动鞋 NIKE")]), 2, 11),
                   (Parcel(id: "𝐏", items: [xmlItem(1, "x")]), 2, 58),
                   (Parcel(id: "Q", items: [xmlItem(1, "y")]), 2, 96)]
    ),
    XMLGoodCase(
        name: "a DOCTYPE without an internal subset is accepted (its DTD is never loaded)",
        input: """
        <?xml version="1.0" encoding="utf-8"?>
        <!DOCTYPE manifest SYSTEM "http://example.invalid/manifest.dtd">
        <?xml-stylesheet href="x.css"?>
        <manifest><parcel id="P1"><item>cap</item></parcel></manifest>
        """,
        expected: [(Parcel(id: "P1", items: [xmlItem(1, "cap")]), 4, 11)]
    ),
    XMLGoodCase(
        name: "the ceb: prefix without its namespace declaration is still read",
        input: """
        <ceb:CEB621Message><ceb:Inventory><ceb:InventoryHead><ceb:logisticsNo>D9</ceb:logisticsNo></ceb:InventoryHead>
        <ceb:InventoryList><ceb:gname>belt</ceb:gname></ceb:InventoryList></ceb:Inventory></ceb:CEB621Message>
        """,
        expected: [(Parcel(id: "D9", items: [xmlItem(1, "belt")]), 1, 20)]
    ),
    XMLGoodCase(
        name: "root element only: no records",
        input: "<manifest/>",
        expected: []
    ),
]

// MARK: - Broken documents

struct XMLBrokenCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: @Sendable () -> [UInt8]
    /// Per record: `P1` for a parcel; `P2! line 9` or `P2! line 9, column 74` for an error there (`-!` when it
    /// has no parcel id).
    var expected: [String]
    /// Words the error messages must contain, one per error record, in order.
    var messages: [String] = []

    var testDescription: String { name }
}

private let xmlBrokenCases: [XMLBrokenCase] = [
    XMLBrokenCase(
        name: "truncated inside the third parcel: two parcels, then an error for the third",
        input: {
            let text = threeInventories()
            return Array(text[..<text.range(of: "<ceb:gname>cap")!.upperBound].utf8)
        },
        expected: ["P1", "P2", "P3! line 13, column 60"],
        messages: ["unexpected end of input with 4 elements open"]
    ),
    XMLBrokenCase(
        name: "truncated right after the second parcel: two parcels, then an error outside any parcel",
        input: {
            let text = threeInventories()
            let cut = text.range(of: "  <ceb:Inventory>", options: .backwards)!.lowerBound
            return Array(text[..<cut].utf8)
        },
        expected: ["P1", "P2", "-! line 11, column 1"],
        messages: ["unexpected end of input with 1 element open"]
    ),
    XMLBrokenCase(
        name: "truncated inside an id: the interrupted parcel has no id",
        input: {
            let text = threeInventories()
            return Array(text[..<text.range(of: "<ceb:logisticsNo>P3")!.upperBound].utf8)
        },
        expected: ["P1", "P2", "-! line 12, column 43"],
        messages: ["unexpected end of input with 4 elements open"]
    ),
    XMLBrokenCase(
        name: "a long parcel (read over many pieces) broken near its end: its id is known",
        input: {
            let lists = (1...40).map { "<ceb:gnum>\($0)</ceb:gnum><ceb:gname>item \($0)</ceb:gname>" }
            let text = ceb621([
                inventory("<ceb:logisticsNo>L1</ceb:logisticsNo>", ["<ceb:gname>a</ceb:gname>"]),
                inventory("<ceb:logisticsNo>L2</ceb:logisticsNo>", lists),
            ])
            return Array(text.replacingOccurrences(of: "item 38</ceb:gname>", with: "item 38</ceb:gname></x>").utf8)
        },
        expected: ["L1", "L2! line 46, column 81"],
        messages: ["mismatch"]
    ),
    XMLBrokenCase(
        name: "extra content after the root: every parcel, then an error outside them",
        input: { Array("<manifest><parcel id=\"P1\"><item>a</item></parcel></manifest>\n<manifest/>".utf8) },
        expected: ["P1", "-! line 2"],
        messages: ["Extra content at the end of the document"]
    ),
    XMLBrokenCase(
        name: "mismatched tag in the second parcel ends the document there",
        input: { Array(threeInventories().replacingOccurrences(of: "shoes</ceb:gname>", with: "shoes</ceb:gnam>").utf8) },
        expected: ["P1", "P2! line 9"],
        messages: ["mismatch"]
    ),
    XMLBrokenCase(
        name: "invalid UTF-8 in the second parcel",
        input: { Array(threeInventories().utf8).replacing(Array("shoes".utf8), with: [0x73, 0xFF, 0x65]) },
        expected: ["P1", "P2! line 9, column 58"],
        messages: ["invalid UTF-8 byte 0xFF"]
    ),
    XMLBrokenCase(
        name: "bad price in one parcel: an error for it, the others come through",
        input: { Array(threeInventories(price2: "12,50").utf8) },
        expected: ["P1", "P2! line 9, column 74", "P3"],
        messages: ["bad price \"12,50\": expected a number ≥ 0"]
    ),
    XMLBrokenCase(
        name: "no logisticsNo and no copNo: an error without an id at the Inventory",
        input: {
            Array(threeInventories().replacingOccurrences(of: "<ceb:logisticsNo>P2</ceb:logisticsNo>", with: "").utf8)
        },
        expected: ["P1", "-! line 7, column 3", "P3"],
        messages: ["without InventoryHead/logisticsNo or copNo"]
    ),
    XMLBrokenCase(
        name: "bad values: HS code, quantity, gnum, a field given twice, no description, no items",
        input: {
            Array(ceb621([
                inventory("<ceb:logisticsNo>B1</ceb:logisticsNo>", ["<ceb:gname>a</ceb:gname><ceb:gcode>6404.11</ceb:gcode>"]),
                inventory("<ceb:logisticsNo>B2</ceb:logisticsNo>", ["<ceb:gname>a</ceb:gname><ceb:qty>-1</ceb:qty>"]),
                inventory("<ceb:logisticsNo>B3</ceb:logisticsNo>", ["<ceb:gnum>0</ceb:gnum><ceb:gname>a</ceb:gname>"]),
                inventory("<ceb:logisticsNo>B4</ceb:logisticsNo>", ["<ceb:gname>a</ceb:gname><ceb:price>1</ceb:price><ceb:price>2</ceb:price>"]),
                inventory("<ceb:logisticsNo>B5</ceb:logisticsNo>", ["<ceb:gmodel> </ceb:gmodel><ceb:price>1</ceb:price>"]),
                inventory("<ceb:logisticsNo>B6</ceb:logisticsNo>", []),
                inventory("<ceb:logisticsNo>B7</ceb:logisticsNo>", ["<ceb:gname>fine</ceb:gname><ceb:gcode>12345</ceb:gcode>"]),
            ]).utf8)
        },
        expected: ["B1! line 5", "B2! line 9", "B3! line 13", "B4! line 17", "B5! line 21", "B6! line 23",
                   "B7! line 28"],
        messages: ["bad gcode \"6404.11\": expected 6 to 10 digits", "bad qty \"-1\"", "bad gnum \"0\"",
                   "price given twice", "InventoryList without gname, gmodel or itemName",
                   "Inventory without InventoryList", "bad gcode \"12345\""]
    ),
    XMLBrokenCase(
        name: "generic manifest: no id, bad attributes, empty item",
        input: {
            Array("""
            <manifest>
            <parcel><item>a</item></parcel>
            <parcel id="G2"><item qty="two">a</item></parcel>
            <parcel id="G3"><item hs="64041">a</item></parcel>
            <parcel id="G4"><item line="1.5">a</item></parcel>
            <parcel id="G5"><item price="1"> </item></parcel>
            <parcel id="G6"><item>fine</item></parcel>
            </manifest>
            """.utf8)
        },
        expected: ["-! line 2, column 1", "G2! line 3, column 17", "G3! line 4", "G4! line 5", "G5! line 6", "G6"],
        messages: ["parcel without an id attribute", "bad qty \"two\"", "bad hs \"64041\"", "bad line \"1.5\"",
                   "item without a description"]
    ),
    XMLBrokenCase(
        name: "unknown root: one error naming the accepted roots",
        input: { Array("<?xml version=\"1.0\"?>\n<invoice><parcel id=\"P1\"><item>a</item></parcel></invoice>".utf8) },
        expected: ["-! line 2, column 1"],
        messages: ["unknown root element <invoice>: expected CEB621Message or CEB311Message"]
    ),
    XMLBrokenCase(
        name: "CEB root in another namespace is unknown",
        input: { Array("<x:CEB621Message xmlns:x=\"urn:other\"><x:Inventory/></x:CEB621Message>".utf8) },
        expected: ["-! line 1, column 1"],
        messages: ["<CEB621Message> in namespace urn:other"]
    ),
    XMLBrokenCase(
        name: "billion laughs in an attribute: refused at the internal subset, at once",
        input: { Array(billionLaughs(inAttribute: true).utf8) },
        expected: ["-! line 2, column 20"],
        messages: ["internal subset"]
    ),
    XMLBrokenCase(
        name: "billion laughs in text: refused at the internal subset, at once",
        input: { Array(billionLaughs(inAttribute: false).utf8) },
        expected: ["-! line 2, column 20"],
        messages: ["internal subset"]
    ),
    XMLBrokenCase(
        name: "external entity in an internal subset: refused, nothing fetched",
        input: {
            Array("""
            <!DOCTYPE manifest [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <manifest><parcel id="P1"><item>x &e; y</item></parcel></manifest>
            """.utf8)
        },
        expected: ["-! line 1, column 20"],
        messages: ["internal subset"]
    ),
    XMLBrokenCase(
        name: "entity of an external DTD (never loaded) in text: that parcel is an error",
        input: {
            Array("""
            <!DOCTYPE manifest SYSTEM "file:///etc/passwd">
            <manifest><parcel id="P1"><item>x &e; y</item></parcel><parcel id="P2"><item>ok</item></parcel></manifest>
            """.utf8)
        },
        expected: ["P1! line 2, column 27", "P2"],
        messages: ["entity reference &e; is not expanded"]
    ),
    XMLBrokenCase(
        name: "entity of an external DTD (never loaded) in an attribute: that parcel is an error",
        input: {
            Array("""
            <!DOCTYPE manifest PUBLIC "-//x//y" "file:///etc/passwd">
            <manifest>
            <parcel id="P1" consignor="&e;"><item>a</item></parcel>
            <parcel id="P2"><item>ok</item></parcel>
            </manifest>
            """.utf8)
        },
        expected: ["P1! line 3", "P2"],
        messages: ["Entity 'e' not defined"]
    ),
    XMLBrokenCase(
        name: "undeclared entity without a DTD: fatal",
        input: { Array("<manifest><parcel id=\"P1\"><item>a</item></parcel>\n<parcel id=\"P2\"><item>&e;</item></parcel></manifest>".utf8) },
        expected: ["P1", "P2! line 2"],
        messages: ["Entity 'e' not defined"]
    ),
    XMLBrokenCase(
        name: "an encoding whose bytes cannot be checked is refused",
        input: { Array("<?xml version=\"1.0\" encoding=\"UTF-7\"?><manifest/>".utf8) },
        expected: ["-! line 1, column 38"],
        messages: ["unsupported encoding \"UTF-7\""]
    ),
    XMLBrokenCase(
        name: "UTF-16 declared in a UTF-8 document switches nothing",
        input: { Array("<?xml version=\"1.0\" encoding=\"UTF-16LE\"?>\n<manifest/>".utf8) },
        expected: ["-! line 1, column 41"],
        messages: ["unsupported encoding"]
    ),
    XMLBrokenCase(
        name: "empty document",
        input: { [] },
        expected: ["-! line 1, column 1"],
        messages: ["empty document"]
    ),
]

@Suite("XMLManifestReader")
struct XMLManifestReaderTests {
    @Test("well-formed documents", arguments: xmlGoodCases)
    func goodDocuments(_ testCase: XMLGoodCase) {
        let records = Array(XMLManifestReader(bytes: testCase.bytes, file: "test.xml"))
        let expected = testCase.expected.map {
            ManifestRecord.parcel($0.parcel, source: SourceLocation(file: "test.xml", line: $0.line, column: $0.column))
        }
        #expect(records == expected, "\(records.map(xmlSummary))")
        #expect(xmlReadByteByByte(testCase.bytes) == records)
    }

    @Test("broken documents", arguments: xmlBrokenCases)
    func brokenDocuments(_ testCase: XMLBrokenCase) {
        let input = testCase.input()
        let started = Date()
        let records = Array(XMLManifestReader(bytes: input, file: "broken.xml"))
        #expect(Date().timeIntervalSince(started) < 5, "took \(Date().timeIntervalSince(started)) s")
        let summaries = records.map(xmlSummary)
        #expect(summaries.count == testCase.expected.count, "\(summaries)")
        for (summary, expected) in zip(summaries, testCase.expected) {
            let rest = summary.hasPrefix(expected) ? summary.dropFirst(expected.count).first : nil
            #expect(rest == (expected.contains("!") ? (expected.contains("column") ? ":" : ",") : " "),
                    "\(summary) is not \(expected)")
        }
        let errors = records.compactMap { record -> RecordError? in
            if case .error(let error) = record { return error }
            return nil
        }
        #expect(errors.count == testCase.messages.count, "\(errors.map(\.message))")
        for (error, words) in zip(errors, testCase.messages) {
            #expect(error.message.contains(words), "\(error.message) lacks \(words)")
            #expect(error.location.file == "broken.xml")
        }
        // Whatever happens, nothing of /etc/passwd is read.
        for case .parcel(let parcel, _) in records {
            #expect(!parcel.items.contains { $0.description.contains("root:") })
            #expect(parcel.consignor?.contains("root:") != true)
        }
        #expect(xmlReadByteByByte(input, file: "broken.xml") == records)
    }

    @Test("a 10 MB text node parses: one parcel whose description is 10 MB")
    func hugeTextNode() {
        let description = Array(repeating: "NIKE 运动鞋", count: 10 * 1024 * 1024 / 13 + 1).joined(separator: " ")
        #expect(description.utf8.count > 10 * 1024 * 1024)
        let text = "<manifest><parcel id=\"BIG\"><item hs=\"640411\">\(description)</item></parcel>"
            + "<parcel id=\"NEXT\"><item>cap</item></parcel></manifest>"
        let records = xmlRead(text)
        #expect(records.map(xmlSummary) == ["BIG items=1 @1:11", "NEXT items=1 @1:\(62 + description.unicodeScalars.count)"])
        guard case .parcel(let parcel, _) = records.first else {
            Issue.record("no parcel: \(records.map(xmlSummary))")
            return
        }
        #expect(parcel.items.first?.description == description)
        #expect(parcel.items.first?.hsCode == "640411")

        // The same in 64 KiB chunks.
        let bytes = Array(text.utf8)
        var offset = 0
        let chunked = XMLManifestReader(file: "test.xml") {
            guard offset < bytes.count else { return nil }
            defer { offset += 64 * 1024 }
            return Array(bytes[offset..<min(bytes.count, offset + 64 * 1024)])
        }
        #expect(Array(chunked) == records)
    }

    @Test("positions count Unicode scalars, and lines by LF")
    func positions() {
        let records = xmlRead("<manifest>\n<!-- 注释 -->\t<parcel id=\"运\"><item>a</item></parcel><parcel id=\"X\"><item qty=\"q\">b</item></parcel>\n</manifest>")
        #expect(records.map(xmlSummary) == [
            "运 items=1 @2:13",
            "X! line 2, column 66: bad qty \"q\": expected a number ≥ 0",
        ])
    }

    @Test("GB18030 declared in the document is decoded, its columns counted by character")
    func gb18030() {
        let gb18030: [UInt8] = [0xC4, 0xCD, 0xBF, 0xCB, 0x20, 0xD4, 0xCB, 0xB6, 0xAF, 0xD0, 0xAC]   // 耐克 运动鞋
        let bytes = Array("<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<manifest><parcel id=\"G\"><item>".utf8)
            + gb18030 + Array("</item></parcel><parcel id=\"H\"><item price=\"x\">a</item></parcel></manifest>".utf8)
        let records = Array(XMLManifestReader(bytes: bytes, file: "gb.xml"))
        #expect(records.first == .parcel(Parcel(id: "G", items: [xmlItem(1, "耐克 运动鞋")]),
                                         source: SourceLocation(file: "gb.xml", line: 2, column: 11)))
        #expect(records.dropFirst().map(xmlSummary) == ["H! line 2, column 69: bad price \"x\": expected a number ≥ 0"])
    }

    @Test("a missing file or a folder throws; a file is streamed like bytes in memory")
    func files() throws {
        #expect(throws: ManifestOpenError.self) { try XMLManifestReader(path: "/nonexistent/markgate/parcels.xml") }
        #expect(throws: ManifestOpenError.self) { try XMLManifestReader(path: NSTemporaryDirectory()) }

        var text = "<manifest>\n"
        for n in 0..<5000 {
            text += "<parcel id=\"P\(n)\" consignor=\"S\(n % 7)\"><item hs=\"640411\" price=\"\(n).5\">运动鞋 \(n)</item></parcel>\n"
        }
        text += "</manifest>\n"
        let path = NSTemporaryDirectory() + "markgate-xml-\(UUID().uuidString).xml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = Array(try XMLManifestReader(path: path))
        #expect(fromFile.count == 5000)
        #expect(fromFile == Array(XMLManifestReader(bytes: Array(text.utf8), file: path)))
    }

    // MARK: Development set

    @Test("the development set's CEB621 message reads as its CSV: 3,000 parcels, 4,806 items, same values")
    func devsetMatchesCSV() throws {
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let devset = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/devset")
        let xmlPath = devset.appendingPathComponent("parcels-ceb621.xml").path
        let csvPath = devset.appendingPathComponent("parcels.csv").path
        guard FileManager.default.fileExists(atPath: xmlPath), FileManager.default.fileExists(atPath: csvPath) else {
            Issue.record("development set missing at \(devset.path)")
            return
        }
        let fromXML = Array(try XMLManifestReader(path: xmlPath))
        let fromCSV = Array(try CSVManifestReader(path: csvPath))
        let xmlParcels = fromXML.compactMap { record -> Parcel? in
            if case .parcel(let parcel, _) = record { return parcel }
            Issue.record("error record: \(xmlSummary(record))")
            return nil
        }
        let csvParcels = fromCSV.compactMap { record -> Parcel? in
            if case .parcel(let parcel, _) = record { return parcel }
            return nil
        }
        #expect(xmlParcels.count == 3000)
        #expect(xmlParcels.reduce(0) { $0 + $1.items.count } == 4806)
        #expect(xmlParcels.count == csvParcels.count)
        var mismatches = 0
        for (xml, csv) in zip(xmlParcels, csvParcels) {
            // The CEB621 message carries no consignee; everything else must agree.
            var expected = csv
            expected.consignee = nil
            if xml != expected {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(xml) != \(expected)") }
            }
        }
        #expect(mismatches == 0)
        if case .parcel(_, let source) = fromXML.first { #expect(source.line == 3 && source.column == 3) }
    }
}

/// The classic exponential entity document, its expansion in an attribute or in text.
private func billionLaughs(inAttribute: Bool) -> String {
    var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [\n<!ENTITY lol0 \"lol\">\n"
    for level in 1...9 {
        text += "<!ENTITY lol\(level) \"\(String(repeating: "&lol\(level - 1);", count: 10))\">\n"
    }
    text += "]>\n"
    text += inAttribute ? "<manifest><parcel id=\"P1\" consignor=\"&lol9;\"><item>a</item></parcel></manifest>\n"
        : "<manifest><parcel id=\"P1\"><item>a &lol9; b</item></parcel></manifest>\n"
    return text
}
