import MarkgateCore
import MarkgateIO
import Testing

// MARK: - Helpers

/// `P1 items=1 @2 "description" by consignor` per parcel (its first item's description), `recordSummary` for an
/// error record.
private func summaries(_ records: [ManifestRecord]) -> [String] {
    records.map { record in
        guard case .parcel(let parcel, _) = record else { return recordSummary(record) }
        let by = parcel.consignor.map { " by \($0)" } ?? ""
        return recordSummary(record) + " \"\(parcel.items.first?.description ?? "")\"" + by
    }
}

private func map(_ specs: [String]) -> ColumnMap {
    do {
        return try ColumnMap(parsing: specs)
    } catch {
        Issue.record("\(specs) did not parse: \(error)")
        return ColumnMap()
    }
}

// MARK: - Cases

struct RenameCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// `--map` values.
    var map: [String]
    var input: String
    var expected: [String]
    var testDescription: String { name }
}

private let renameCases: [RenameCase] = [
    RenameCase(
        name: "no map: columns are read under their own names",
        map: [], input: "parcel_id,description\nP1,shoes\n",
        expected: ["P1 items=1 @2 \"shoes\""]),
    RenameCase(
        name: "description read from gname",
        map: ["description=gname"], input: "parcel_id,gname,hs_code\nP1,耐克运动鞋,640411\nP2,socks,611595\n",
        expected: ["P1 items=1 @2 \"耐克运动鞋\"", "P2 items=1 @3 \"socks\""]),
    RenameCase(
        name: "several renames, the header in another case and spacing",
        map: ["description=gname", "parcel_id=Way Bill", "consignor=EBC-NAME"],
        input: " GName ,WAY_BILL,ebc name\nrunning shoes,W1,Ningbo Jiali\n",
        expected: ["W1 items=1 @2 \"running shoes\" by Ningbo Jiali"]),
    RenameCase(
        name: "the left side is normalized like a header name",
        map: ["Parcel ID=waybill"], input: "waybill,description\nW1,shoes\n",
        expected: ["W1 items=1 @2 \"shoes\""]),
    RenameCase(
        name: "a mapped column replaces a column carrying the contract name, wherever it stands",
        map: ["description=gname"], input: "parcel_id,description,gname\nP1,ignored text,NIKE shoes\n",
        expected: ["P1 items=1 @2 \"NIKE shoes\""]),
    RenameCase(
        name: "a replaced column is not checked either",
        map: ["hs_code=gcode"], input: "parcel_id,description,hs_code,gcode\nP1,shoes,not a code,640411\n",
        expected: ["P1 items=1 @2 \"shoes\""]),
    RenameCase(
        name: "a contract column may be read from another contract column's name",
        map: ["consignor=description", "description=gname"],
        input: "parcel_id,description,gname\nP1,Putian Yuxin,shoes\n",
        expected: ["P1 items=1 @2 \"shoes\" by Putian Yuxin"]),
    RenameCase(
        name: "a required column mapped to a column the header lacks is missing",
        map: ["description=gname"], input: "parcel_id,description\nP1,shoes\n",
        expected: ["-! line 1, column 1: missing required column description (mapped to gname) in the header row"]),
    RenameCase(
        name: "an optional column mapped to a column the header lacks is absent",
        map: ["consignor=ebc_name"], input: "parcel_id,description,consignor\nP1,shoes,Ningbo Jiali\n",
        expected: ["P1 items=1 @2 \"shoes\""]),
    RenameCase(
        name: "a mapped column named twice in the header",
        map: ["description=gname"], input: "parcel_id,gname,GNAME\nP1,a,b\n",
        expected: ["-! line 1, column 17: column gname (read as description) named twice in the header row"]),
    RenameCase(
        name: "errors in a mapped column name the contract column",
        map: ["hs_code=gcode"], input: "parcel_id,description,gcode\nP1,shoes,12\nP2,socks,611595\n",
        expected: ["P1! line 2, column 10: bad hs_code \"12\": expected 6 to 10 digits", "P2 items=1 @3 \"socks\""]),
]

struct BadMapCase: Sendable, CustomTestStringConvertible {
    var name: String
    var map: [String]
    var kind: ColumnMapError.Kind
    var message: String
    var testDescription: String { name }
}

private let badMapCases: [BadMapCase] = [
    BadMapCase(name: "no equals sign", map: ["description"], kind: .malformed,
               message: "\"description\": expected contract=column, e.g. description=gname"),
    BadMapCase(name: "nothing on the right", map: ["description= "], kind: .malformed,
               message: "\"description= \": expected contract=column with both names given, e.g. description=gname"),
    BadMapCase(name: "nothing on the left", map: ["=gname"], kind: .malformed,
               message: "\"=gname\": expected contract=column with both names given, e.g. description=gname"),
    BadMapCase(name: "not a contract column", map: ["desc=gname"], kind: .unknownContractColumn,
               message: "\"desc\" is not a contract column; expected one of parcel_id, line_no, description, "
                   + "hs_code, quantity, unit_price, currency, origin, consignor, consignee"),
    BadMapCase(name: "the same contract column twice, in another case", map: ["description=gname", "DESCRIPTION=name"],
               kind: .contractColumnMappedTwice, message: "description is mapped twice (to gname and to name)"),
    BadMapCase(name: "the same file column for two contract columns", map: ["description=gname", "consignor=GName"],
               kind: .fileColumnMappedTwice, message: "column gname is mapped twice (as description and as consignor)"),
]

// MARK: - Tests

@Suite("Column map")
struct ColumnMapTests {
    @Test("renames read a file's columns as the contract's", arguments: renameCases)
    func renames(_ testCase: RenameCase) {
        let columnMap = map(testCase.map)
        let reader = CSVManifestReader(bytes: Array(testCase.input.utf8), file: "m.csv", columnMap: columnMap)
        #expect(summaries(Array(reader)) == testCase.expected)
        // The same through a manifest source, in one chunk and byte by byte.
        let options = ManifestOptions(columnMap: columnMap)
        #expect(summaries(Array(ManifestSource(bytes: Array(testCase.input.utf8), file: "m.csv", options: options)))
                == testCase.expected)
        let bytes = Array(testCase.input.utf8)
        var position = 0
        let source = ManifestSource(file: "m.csv", chunks: {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return [bytes[position]]
        }, options: options)
        #expect(summaries(Array(source)) == testCase.expected)
    }

    @Test("bad --map values are errors naming what is wrong", arguments: badMapCases)
    func badValues(_ testCase: BadMapCase) {
        #expect(throws: ColumnMapError(kind: testCase.kind, message: testCase.message)) {
            try ColumnMap(parsing: testCase.map)
        }
    }

    @Test("renames are kept in normalized form and listed in the contract's order")
    func normalizedForm() {
        let columnMap = map(["Description=G Name", "parcel id=WAYBILL"])
        #expect(columnMap.renames == ["description": "g_name", "parcel_id": "waybill"])
        #expect(columnMap.description == "parcel_id=waybill, description=g_name")
        #expect(!columnMap.isEmpty)
        #expect(ColumnMap().isEmpty)
        #expect(ColumnMap.contractColumns.count == 10)
    }

    @Test("JSON Lines and XML manifests ignore the map", arguments: [
        #"{"parcel_id": "J1", "items": [{"description": "shoes", "gname": "other"}]}"# + "\n",
        "<manifest><parcel id=\"J1\"><item>shoes</item></parcel></manifest>\n",
    ])
    func otherFormatsIgnoreTheMap(_ input: String) {
        let options = ManifestOptions(columnMap: map(["description=gname", "parcel_id=waybill"]))
        let read = Array(ManifestSource(bytes: Array(input.utf8), file: "m", options: options))
        #expect(summaries(read) == ["J1 items=1 @1 \"shoes\""])
    }
}
