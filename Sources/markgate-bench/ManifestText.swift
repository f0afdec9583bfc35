import Foundation

/// Writes generated parcels as manifest text (contract §2): CSV, a CEB621 import inventory, or the generic
/// `<manifest>` XML form.
enum ManifestText {
    enum Format: String {
        case csv
        case ceb621
        case generic
    }

    /// The text before the first parcel.
    static func prologue(_ format: Format) -> [UInt8] {
        switch format {
        case .csv:
            return Array(("parcel_id,line_no,description,hs_code,quantity,unit_price,currency,origin,consignor,"
                + "consignee\n").utf8)
        case .ceb621:
            return Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ceb:CEB621Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" guid=\"bench-621\" "
                + "version=\"1.0\">\n")
                .utf8)
        case .generic:
            return Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest>\n".utf8)
        }
    }

    /// The text after the last parcel.
    static func epilogue(_ format: Format) -> [UInt8] {
        switch format {
        case .csv:
            return []
        case .ceb621:
            return Array(("  <ceb:BaseTransfer>\n    <ceb:copCode>3301960000</ceb:copCode>\n"
                + "    <ceb:copName>Bench Logistics Co., Ltd.</ceb:copName>\n    <ceb:dxpMode>DXP</ceb:dxpMode>\n"
                + "    <ceb:dxpId>DXPENT0000000001</ceb:dxpId>\n  </ceb:BaseTransfer>\n</ceb:CEB621Message>\n").utf8)
        case .generic:
            return Array("</manifest>\n".utf8)
        }
    }

    /// Appends one parcel in `format`.
    static func append(_ parcel: GeneratedParcel, format: Format, to out: inout [UInt8]) {
        switch format {
        case .csv: appendCSV(parcel, to: &out)
        case .ceb621: appendCEB621(parcel, to: &out)
        case .generic: appendGeneric(parcel, to: &out)
        }
    }

    /// One row per item; fields holding a comma or a quote are quoted (RFC 4180).
    static func appendCSV(_ parcel: GeneratedParcel, to out: inout [UInt8]) {
        for (index, item) in parcel.items.enumerated() {
            out.append(contentsOf: parcel.id.utf8)
            out.append(0x2C)
            out.append(contentsOf: String(index + 1).utf8)
            out.append(0x2C)
            appendCSVField(item.description, to: &out)
            for value in [item.hs, String(item.quantity), item.price, item.currency, item.origin] {
                out.append(0x2C)
                out.append(contentsOf: value.utf8)
            }
            out.append(0x2C)
            appendCSVField(parcel.consignor, to: &out)
            out.append(0x2C)
            appendCSVField(parcel.consignee, to: &out)
            out.append(0x0A)
        }
    }

    static func appendCSVField(_ text: String, to out: inout [UInt8]) {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(0x22)
        for byte in text.utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    /// China customs numeric codes, where the reader knows them (otherwise the ISO code is written).
    static let customsCurrency = ["USD": "502", "CNY": "142", "EUR": "300"]
    static let customsCountry = ["CN": "142", "JP": "116", "KR": "133", "TH": "136", "GB": "303", "DE": "304",
                                 "FR": "305", "US": "502"]

    /// One `Inventory`, with the head and list fields a real CEB621 message carries (most are not read).
    static func appendCEB621(_ parcel: GeneratedParcel, to out: inout [UInt8]) {
        let number = parcel.id.dropFirst(2)
        let currency = customsCurrency[parcel.items[0].currency] ?? parcel.items[0].currency
        var text = "  <ceb:Inventory>\n    <ceb:InventoryHead>\n"
        func head(_ name: String, _ value: String) {
            text += "      <ceb:\(name)>\(escaped(value))</ceb:\(name)>\n"
        }
        head("guid", "BENCH-\(number)-0000-0000-000000000621")
        head("appType", "1")
        head("appTime", "20261121093000")
        head("appStatus", "2")
        head("orderNo", "ORD\(number)")
        head("ebpCode", "3301960001")
        head("ebpName", "Bench Marketplace Co., Ltd.")
        head("ebcCode", "3301960002")
        head("ebcName", parcel.consignor)
        head("logisticsNo", parcel.id)
        head("logisticsCode", "3301960003")
        head("logisticsName", "Bench Express Co., Ltd.")
        head("copNo", "COP\(number)")
        head("assureCode", "3301960002")
        head("ieFlag", "I")
        head("declTime", "20261121")
        head("customsCode", "2991")
        head("portCode", "2991")
        head("ieDate", "20261121")
        head("buyerIdType", "1")
        head("buyerIdNumber", "330100199001011234")
        head("buyerName", parcel.consignee)
        head("buyerTelephone", "13800000000")
        head("consigneeAddress", "Hangzhou, Zhejiang")
        head("tradeMode", "9610")
        head("trafMode", "5")
        head("country", customsCountry[parcel.items[0].origin] ?? parcel.items[0].origin)
        head("freight", "0")
        head("insuredFee", "0")
        head("currency", currency)
        head("packNo", "1")
        head("grossWeight", "1.2")
        head("netWeight", "1.0")
        text += "    </ceb:InventoryHead>\n"
        for (index, item) in parcel.items.enumerated() {
            text += "    <ceb:InventoryList>\n"
            func list(_ name: String, _ value: String) {
                text += "      <ceb:\(name)>\(escaped(value))</ceb:\(name)>\n"
            }
            list("gnum", String(index + 1))
            list("itemNo", "SKU\(number)\(index + 1)")
            list("gcode", item.hs)
            list("gname", item.description)
            list("barCode", "6900000000000")
            list("country", customsCountry[item.origin] ?? item.origin)
            list("currency", customsCurrency[item.currency] ?? item.currency)
            list("qty", String(item.quantity))
            list("unit", "011")
            list("qty1", String(item.quantity))
            list("unit1", "011")
            list("price", item.price)
            list("totalPrice", item.price)
            text += "    </ceb:InventoryList>\n"
        }
        text += "  </ceb:Inventory>\n"
        out.append(contentsOf: text.utf8)
    }

    /// One `<parcel>` of the generic form, an `<item>` per item.
    static func appendGeneric(_ parcel: GeneratedParcel, to out: inout [UInt8]) {
        var text = "  <parcel id=\"\(parcel.id)\" consignor=\"\(escaped(parcel.consignor))\" "
            + "consignee=\"\(escaped(parcel.consignee))\" origin=\"\(parcel.items[0].origin)\">\n"
        for (index, item) in parcel.items.enumerated() {
            text += "    <item line=\"\(index + 1)\" hs=\"\(item.hs)\" qty=\"\(item.quantity)\" "
                + "price=\"\(item.price)\" currency=\"\(item.currency)\">\(escaped(item.description))</item>\n"
        }
        text += "  </parcel>\n"
        out.append(contentsOf: text.utf8)
    }

    /// Text with `&`, `<`, `>` and `"` escaped for XML content and attribute values.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return text }
        return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A whole manifest of `format` in memory: parcels until the text reaches `bytes` (when given) or the items
    /// reach `items`; with the expectation for each parcel, in order.
    static func generate(_ generator: inout ManifestGenerator, format: Format, items: Int = .max,
                         bytes: Int = .max) -> (text: [UInt8], planted: [Planted]) {
        var text = prologue(format)
        var planted: [Planted] = []
        text.reserveCapacity(min(bytes, items.multipliedReportingOverflow(by: 200).overflow ? .max : items * 200))
        let start = generator.itemCount
        while generator.itemCount - start < items && text.count < bytes {
            let parcel = generator.next()
            append(parcel, format: format, to: &text)
            planted.append(parcel.planted)
        }
        text.append(contentsOf: epilogue(format))
        return (text, planted)
    }
}

/// A generated manifest handed out in 64 KiB chunks, made on the fly: neither memory nor disk holds it.
///
/// Parcels are generated until `limit` bytes have been handed out (the last parcel completes). The planted
/// expectation of each parcel waits in a queue until `takeExpectation` is called for it, in order. Any thread
/// may call: the pipeline's workers each read (one at a time) while its calling thread takes expectations.
final class GeneratedManifestStream: @unchecked Sendable {
    static let chunkSize = 64 * 1024
    private var generator: ManifestGenerator
    private let format: ManifestText.Format
    private let limit: Int
    private var pending: [UInt8]
    private var ended = false
    private var expectations: [Planted] = []
    private var expectationHead = 0
    private var handedOut = 0
    private var generatingTime: Duration = .zero
    private let clock = ContinuousClock()
    private let lock = NSLock()

    /// Bytes handed out so far.
    var bytes: Int { lock.withLock { handedOut } }
    /// Time spent generating (inside `next`).
    var generating: Duration { lock.withLock { generatingTime } }

    init(generator: ManifestGenerator, format: ManifestText.Format, limit: Int) {
        self.generator = generator
        self.format = format
        self.limit = limit
        pending = ManifestText.prologue(format)
        pending.reserveCapacity(Self.chunkSize * 2)
    }

    var parcels: Int { lock.withLock { generator.parcelCount } }
    var items: Int { lock.withLock { generator.itemCount } }

    /// The next chunk (up to 64 KiB), nil at the end.
    func next() -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        let started = clock.now
        defer { generatingTime += clock.now - started }
        while pending.count < Self.chunkSize && !ended {
            if handedOut + pending.count >= limit {
                pending.append(contentsOf: ManifestText.epilogue(format))
                ended = true
                break
            }
            let parcel = generator.next()
            ManifestText.append(parcel, format: format, to: &pending)
            expectations.append(parcel.planted)
        }
        guard !pending.isEmpty else { return nil }
        let count = min(Self.chunkSize, pending.count)
        let chunk = Array(pending[..<count])
        pending.removeFirst(count)
        handedOut += count
        return chunk
    }

    /// What was planted in the next parcel not yet taken.
    func takeExpectation() -> Planted {
        lock.lock()
        defer { lock.unlock() }
        let planted = expectations[expectationHead]
        expectationHead += 1
        if expectationHead >= 4096 {
            expectations.removeFirst(expectationHead)
            expectationHead = 0
        }
        return planted
    }
}
