import Foundation
import MarkgateCore

/// Items mapped to `ParcelItem`s (what each format reads is told in `XMLManifestReader+CEB.swift`): a CEB item
/// from its fields' bytes, a generic item from its attributes and text.
extension XMLParcelBuilder {
    /// A problem of an item: where, and what.
    typealias Problem = (position: XMLTextPosition, message: String)

    /// A field's trimmed text (bytes of `text`) and the position of its element.
    typealias FieldText = (bytes: UnsafeBufferPointer<UInt8>, position: XMLTextPosition)

    mutating func finishCEBItem() {
        var item = ParcelItem(line: itemOrdinal, description: "")
        let problem = mapCEBItem(text.bytes, into: &item)
        keep(item, problem)
    }

    mutating func finishGenericItem() {
        let description = String(decoding: XMLValueBytes.trimmed(text.bytes(from: itemTextStart)), as: UTF8.self)
        var item = ParcelItem(line: itemOrdinal, description: description)
        let problem = mapGenericItem(into: &item)
        keep(item, problem)
    }

    /// Keeps the item, or records its problem for the parcel.
    private mutating func keep(_ item: consuming ParcelItem, _ itemProblem: Problem?) {
        if let itemProblem {
            fail(at: itemProblem.position, itemProblem.message)
        } else if problem == nil {
            items.append(item)
        }
    }

    /// Maps the CEB item whose fields are `itemFields`, their text in `bytes` (all of `text`), into `item`
    /// (made with its ordinal as its line); the first of its problems in document order, or nil.
    private func mapCEBItem(_ bytes: UnsafeBufferPointer<UInt8>, into item: inout ParcelItem) -> Problem? {
        var first: Problem?
        func note(_ position: XMLTextPosition, _ message: @autoclosure () -> String) {
            if first == nil || position < first!.position { first = (position, message()) }
        }
        func value(_ name: XMLField, inHead: Bool = false) -> FieldText? {
            guard let field = inHead ? head[name] : itemFields[name] else { return nil }
            let trimmed = XMLValueBytes.trimmed(UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]))
            return trimmed.isEmpty ? nil : (trimmed, field.position)
        }
        func bad(_ name: XMLField, _ field: FieldText, _ expected: String) {
            note(field.position, "bad \(name.rawValue) \"\(String(decoding: field.bytes, as: UTF8.self))\": "
                    + "expected \(expected)")
        }

        if let gnum = value(.gnum) {
            if let number = XMLValueBytes.lineNumber(gnum.bytes) { item.line = number } else {
                bad(.gnum, gnum, "a whole number from 1")
            }
        } else if format == .ceb311, let itemNo = value(.itemNo), let number = XMLValueBytes.lineNumber(itemNo.bytes) {
            item.line = number
        }
        // The description's parts: each field's text once (as `String`s compare), in the format's order.
        var parts = InlineArray<4, UnsafeBufferPointer<UInt8>>(repeating: UnsafeBufferPointer(start: nil, count: 0))
        var partCount = 0
        for name in format.descriptionFields {
            guard let part = value(name) else { continue }
            var seen = false
            for index in 0..<partCount where Self.sameText(parts[index], part.bytes) {
                seen = true
                break
            }
            if !seen && partCount < parts.count {
                parts[partCount] = part.bytes
                partCount += 1
            }
        }
        if partCount == 0 { note(itemPosition, format.missingDescriptionMessage) }
        var gcodeIsHSCode = false
        if let gcode = value(.gcode) {
            gcodeIsHSCode = ManifestFields.isHSCode(bytes: gcode.bytes)
            if !gcodeIsHSCode { bad(.gcode, gcode, "6 to 10 digits") }
        }
        if let qty = value(.qty) {
            if let number = Self.number(qty.bytes) { item.quantity = number } else { bad(.qty, qty, "a number ≥ 0") }
        }
        if let price = value(.price) {
            if let number = Self.number(price.bytes) { item.unitPrice = number } else {
                bad(.price, price, "a number ≥ 0")
            }
        }
        // The item is dropped on a problem: its strings need not be made.
        if let first { return first }

        item.description = Self.joined(parts, count: partCount)
        if gcodeIsHSCode, let gcode = value(.gcode) { item.hsCode = String(decoding: gcode.bytes, as: UTF8.self) }
        if let currency = value(.currency) ?? value(.currency, inHead: true) {
            item.currency = XMLManifestFormat.code(currency.bytes, table: XMLManifestFormat.currencyCodes, letters: 3)
        }
        if let country = value(.country) {
            item.origin = XMLManifestFormat.code(country.bytes, table: XMLManifestFormat.countryCodes, letters: 2)
        }
        return nil
    }

    /// Maps the generic item being ended from its attributes into `item` (made with its ordinal as its line and
    /// its trimmed text as its description); the first of its problems in document order, or nil.
    private func mapGenericItem(into parsed: inout ParcelItem) -> Problem? {
        var problems: [Problem] = []
        func value(_ name: XMLGenericAttributes.Name) -> String? {
            guard let text = itemAttributes[name].map(ManifestFields.trimmed), !text.isEmpty else { return nil }
            return text
        }
        func bad(_ name: XMLGenericAttributes.Name, _ text: String, _ expected: String) {
            problems.append((itemPosition, "bad \(name.rawValue) \"\(text)\": expected \(expected)"))
        }

        if parsed.description.isEmpty { problems.append((itemPosition, format.missingDescriptionMessage)) }
        if let line = value(.line) {
            if let number = Self.lineNumber(line) { parsed.line = number } else { bad(.line, line, "a whole number from 1") }
        }
        if let hs = value(.hs) {
            if ManifestFields.isHSCode(hs) { parsed.hsCode = hs } else { bad(.hs, hs, "6 to 10 digits") }
        }
        if let qty = value(.qty) {
            if let number = Self.number(qty) { parsed.quantity = number } else { bad(.qty, qty, "a number ≥ 0") }
        }
        if let price = value(.price) {
            if let number = Self.number(price) { parsed.unitPrice = number } else { bad(.price, price, "a number ≥ 0") }
        }
        parsed.currency = value(.currency)?.uppercased()
        parsed.origin = (value(.origin) ?? attribute(.origin))?.uppercased()
        return problems.min(by: { $0.position < $1.position })
    }

    // MARK: Bytes

    /// Whether two texts are equal as `String`s are: canonically equivalent, so bytes that differ outside ASCII
    /// are compared as `String`s.
    static func sameText(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        if left.elementsEqual(right) { return true }
        if XMLValueBytes.isASCII(left) && XMLValueBytes.isASCII(right) { return false }
        return String(decoding: left, as: UTF8.self) == String(decoding: right, as: UTF8.self)
    }

    /// The first `count` parts joined with a space, as `[String].joined(separator: " ")` does.
    static func joined(_ parts: InlineArray<4, UnsafeBufferPointer<UInt8>>, count: Int) -> String {
        guard count > 1 else { return count == 1 ? String(decoding: parts[0], as: UTF8.self) : "" }
        var total = count - 1
        for index in 0..<count { total += parts[index].count }
        return String(unsafeUninitializedCapacity: total) { out in
            var at = 0
            for index in 0..<count {
                if index > 0 {
                    out[at] = 0x20
                    at += 1
                }
                let part = parts[index]
                _ = UnsafeMutableBufferPointer(rebasing: out[at..<(at + part.count)]).initialize(from: part)
                at += part.count
            }
            return total
        }
    }

    /// A quantity or price: a number ≥ 0, as `ManifestFields.number` reads it.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let number = ManifestFields.number(bytes: bytes), number.isFinite, number >= 0 else { return nil }
        return number
    }
}
