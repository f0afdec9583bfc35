import Testing
@testable import MarkgateIO

@Test("Each contract column's ordinal is its place in allCases (the CSV reader indexes an array by it)")
func columnOrdinals() {
    for (position, name) in CSVManifestReader.ManifestColumns.Name.allCases.enumerated() {
        #expect(name.ordinal == position, "\(name)")
    }
}
