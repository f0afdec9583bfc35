extension CSVManifestReader {
    /// Where each contract column lies in a row (-1: absent), as plain integers: what `plainRow` reads for every
    /// row, with nothing to retain or look up (`ManifestColumns` holds arrays and a dictionary).
    ///
    /// A plain row is read column by column in a fixed order, not the file's: any value it cannot take sends the
    /// whole row to the record path, which reports the first problem from left to right.
    struct PlainColumns {
        /// Fields in the header row.
        var count: Int
        var parcelID: Int
        var lineNo: Int
        var description: Int
        var hsCode: Int
        var quantity: Int
        var unitPrice: Int
        var currency: Int
        var origin: Int
        var consignor: Int
        var consignee: Int

        init(_ columns: ManifestColumns) {
            func position(_ name: ManifestColumns.Name) -> Int { columns.position(of: name) ?? -1 }
            count = columns.count
            parcelID = position(.parcelID)
            lineNo = position(.lineNo)
            description = position(.description)
            hsCode = position(.hsCode)
            quantity = position(.quantity)
            unitPrice = position(.unitPrice)
            currency = position(.currency)
            origin = position(.origin)
            consignor = position(.consignor)
            consignee = position(.consignee)
        }
    }
}
