import Foundation
import MarkgateCore
import MarkgateIO
import Testing

// MARK: - Bad registers: every problem reported, at the offending node

/// One expected diagnostic: its kind and where it points.
struct ExpectedDiagnostic: Hashable, Sendable, CustomStringConvertible {
    var kind: Diagnostic.Kind
    var line: Int
    var column: Int
    var severity: Diagnostic.Severity = .error

    var description: String { "\(severity.rawValue) \(kind) at \(line):\(column)" }

    init(_ kind: Diagnostic.Kind, _ line: Int, _ column: Int, _ severity: Diagnostic.Severity = .error) {
        self.kind = kind
        self.line = line
        self.column = column
        self.severity = severity
    }

    init(_ diagnostic: Diagnostic) {
        self.init(diagnostic.kind, diagnostic.location.line, diagnostic.location.column, diagnostic.severity)
    }
}

struct BadRegisterCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var expected: [ExpectedDiagnostic]
    /// Text that the first diagnostic's message must contain, if any.
    var message: String? = nil

    var testDescription: String { name }
}

private let badRegisterCases: [BadRegisterCase] = [
    BadRegisterCase(
        name: "syntax error at the offending colon",
        yaml: """
        version: 1
        marks:
          - id: NIKE: X
        """,
        expected: [.init(.syntax, 3, 13)]
    ),
    BadRegisterCase(
        name: "empty document",
        yaml: "",
        expected: [.init(.missingField, 1, 1)]
    ),
    BadRegisterCase(
        name: "top level is a list",
        yaml: """
        - id: NIKE
          names: [NIKE]
        """,
        expected: [.init(.wrongType, 1, 1)]
    ),
    BadRegisterCase(
        name: "no marks key",
        yaml: """
        version: 1
        """,
        expected: [.init(.missingField, 1, 1)],
        message: "marks"
    ),
    BadRegisterCase(
        name: "marks is a scalar",
        yaml: """
        marks: NIKE
        """,
        expected: [.init(.wrongType, 1, 8)]
    ),
    BadRegisterCase(
        name: "unsupported version",
        yaml: """
        version: 2
        marks: []
        """,
        expected: [.init(.badVersion, 1, 10)]
    ),
    BadRegisterCase(
        name: "version not an integer",
        yaml: """
        version: one
        marks: []
        """,
        expected: [.init(.badVersion, 1, 10)]
    ),
    BadRegisterCase(
        name: "unknown top-level key is a warning",
        yaml: """
        version: 1
        owner: someone
        marks: []
        """,
        expected: [.init(.unknownKey, 2, 1, .warning)]
    ),
    BadRegisterCase(
        name: "mark is not a mapping",
        yaml: """
        marks:
          - NIKE
        """,
        expected: [.init(.wrongType, 2, 5)]
    ),
    BadRegisterCase(
        name: "typo in a mark key",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            clases: [25]
        """,
        expected: [.init(.unknownKey, 4, 5)],
        message: "did you mean \"classes\""
    ),
    BadRegisterCase(
        name: "missing id",
        yaml: """
        marks:
          - names: [NIKE]
        """,
        expected: [.init(.missingField, 2, 5)]
    ),
    BadRegisterCase(
        name: "missing names",
        yaml: """
        marks:
          - id: NIKE
        """,
        expected: [.init(.missingField, 2, 5)]
    ),
    BadRegisterCase(
        name: "id with a space",
        yaml: """
        marks:
          - id: NIKE AIR
            names: [NIKE]
        """,
        expected: [.init(.badId, 2, 9)]
    ),
    BadRegisterCase(
        name: "id is a list",
        yaml: """
        marks:
          - id: [NIKE]
            names: [NIKE]
        """,
        expected: [.init(.wrongType, 2, 9)]
    ),
    BadRegisterCase(
        name: "duplicate id points at the second and names the first",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
          - id: NIKE
            names: [耐克]
        """,
        expected: [.init(.duplicateId, 4, 9)],
        message: "duplicate id \"NIKE\" (first defined at register.yaml:2:9)"
    ),
    BadRegisterCase(
        name: "empty names list",
        yaml: """
        marks:
          - id: NIKE
            names: []
        """,
        expected: [.init(.emptyNames, 3, 12)]
    ),
    BadRegisterCase(
        name: "names with no value",
        yaml: """
        marks:
          - id: NIKE
            names:
        """,
        expected: [.init(.emptyNames, 3, 11)]
    ),
    BadRegisterCase(
        name: "empty string among names",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE, ""]
        """,
        expected: [.init(.emptyNames, 3, 19)]
    ),
    BadRegisterCase(
        name: "names given as a scalar",
        yaml: """
        marks:
          - id: NIKE
            names: NIKE
        """,
        expected: [.init(.wrongType, 3, 12)]
    ),
    BadRegisterCase(
        name: "variants given as a scalar",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            variants: Naike
        """,
        expected: [.init(.wrongType, 4, 15)]
    ),
    BadRegisterCase(
        name: "owner given as a list",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            owner: [a, b]
        """,
        expected: [.init(.wrongType, 4, 12)]
    ),
    BadRegisterCase(
        name: "unknown kind lists the allowed values",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            kind: famous
        """,
        expected: [.init(.unknownKind, 4, 11)],
        message: "trademark, well-known, time-honored, geographic-indication"
    ),
    BadRegisterCase(
        name: "classes outside 1-45, one diagnostic each",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            classes: [25, 46, 0]
        """,
        expected: [.init(.badClass, 4, 19), .init(.badClass, 4, 23)],
        message: "class 46 is outside 1–45"
    ),
    BadRegisterCase(
        name: "class that is not a number",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            classes: [shoes, 2.5]
        """,
        expected: [.init(.wrongType, 4, 15), .init(.wrongType, 4, 22)]
    ),
    BadRegisterCase(
        name: "classes given as a scalar",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            classes: 25
        """,
        expected: [.init(.wrongType, 4, 14)]
    ),
    BadRegisterCase(
        name: "bad currency codes and amounts",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            min_unit_price: {usd: 40, EUR: -5, CNY: abc, GBP: .inf}
        """,
        expected: [
            .init(.badPrice, 4, 22), .init(.badPrice, 4, 36),
            .init(.badPrice, 4, 45), .init(.badPrice, 4, 55),
        ]
    ),
    BadRegisterCase(
        name: "min_unit_price given as a list",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            min_unit_price: [40]
        """,
        expected: [.init(.wrongType, 4, 21)]
    ),
    BadRegisterCase(
        name: "generic name that is not a name",
        yaml: """
        marks:
          - id: APPLE
            names: [APPLE, 苹果]
            generic_names: [apple, pear]
        """,
        expected: [.init(.badGenericName, 4, 28)]
    ),
    BadRegisterCase(
        name: "generic names checked against the readable names",
        yaml: """
        marks:
          - id: A
            names: [A, ""]
            generic_names: [a, B]
        """,
        expected: [.init(.emptyNames, 3, 16), .init(.badGenericName, 4, 24)]
    ),
    BadRegisterCase(
        name: "second document in the stream",
        yaml: """
        marks: []
        ---
        marks: []
        """,
        expected: [.init(.syntax, 2, 1)],
        message: "expected a single document"
    ),
    BadRegisterCase(
        name: "duplicate key in a mark is a syntax error",
        yaml: """
        marks:
          - id: NIKE
            names: [NIKE]
            id: NIKE2
        """,
        expected: [.init(.syntax, 2, 5)]
    ),
    BadRegisterCase(
        name: "several problems in one file, all reported in order",
        yaml: """
        version: 3
        marks:
          - id: NIKE
            names: [NIKE]
            clases: [25]
          - id: NIKE
            names: []
            kind: famous
            classes: [46]
            min_unit_price: {USD: 0}
          - names: [ADIDAS]
            owner: {name: adidas AG}
        """,
        expected: [
            .init(.badVersion, 1, 10),
            .init(.unknownKey, 5, 5),
            .init(.duplicateId, 6, 9),
            .init(.emptyNames, 7, 12),
            .init(.unknownKind, 8, 11),
            .init(.badClass, 9, 15),
            .init(.badPrice, 10, 27),
            .init(.missingField, 11, 5),
            .init(.wrongType, 12, 12),
        ]
    ),
]

@Test("bad register reports each problem at its node", arguments: badRegisterCases)
func badRegister(_ testCase: BadRegisterCase) throws {
    let result = RegisterLoader.parse(yaml: testCase.yaml, file: "register.yaml")
    #expect(result.diagnostics.map(ExpectedDiagnostic.init) == testCase.expected,
            "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    #expect(result.diagnostics.allSatisfy { $0.location.file == "register.yaml" && !$0.message.isEmpty })
    if let message = testCase.message {
        let first = try #require(result.diagnostics.first)
        #expect(first.message.contains(message), "\(first.message)")
    }
    // A mark with any error is left out; nothing here is fully valid except in the warning case.
    if testCase.expected.contains(where: { $0.severity == .error }) {
        #expect(result.marks.count < 2)
    }
}

// MARK: - Good registers: parsed into the right values

struct GoodRegisterCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var marks: [Mark]
    var version: Int?

    var testDescription: String { name }
}

private let goodRegisterCases: [GoodRegisterCase] = [
    GoodRegisterCase(
        name: "every field of the contract example",
        yaml: """
        version: 1
        marks:
          - id: NIKE                      # required, unique
            names: [NIKE, 耐克]
            variants: [Naike Air]
            kind: well-known
            classes: [25, 28]
            owner: Nike Innovate C.V.
            recordation: T2009-00001
            licensees:
              - Nike Commercial (China) Co., Ltd.
            generic_names: []
            context: [running, sneaker]
            min_unit_price: {USD: 40, CNY: 199.5}
        """,
        marks: [
            Mark(
                id: "NIKE", names: ["NIKE", "耐克"], variants: ["Naike Air"], kind: .wellKnown,
                classes: [25, 28], owner: "Nike Innovate C.V.", recordation: "T2009-00001",
                licensees: ["Nike Commercial (China) Co., Ltd."], genericNames: [],
                context: ["running", "sneaker"],
                minUnitPrice: [PriceFloor(currency: "USD", amount: 40), PriceFloor(currency: "CNY", amount: 199.5)]
            ),
        ],
        version: 1
    ),
    GoodRegisterCase(
        name: "minimal mark takes the defaults",
        yaml: """
        marks:
          - id: LV
            names: [LOUIS VUITTON]
            owner:
            variants:
        """,
        marks: [Mark(id: "LV", names: ["LOUIS VUITTON"], kind: .trademark)],
        version: nil
    ),
    GoodRegisterCase(
        name: "numeric-looking and boolean-looking names stay strings as written",
        yaml: """
        marks:
          - id: 3M
            names: [3M, 7-Eleven, 123, 1e3, NO, 0x1F, "007"]
        """,
        marks: [Mark(id: "3M", names: ["3M", "7-Eleven", "123", "1e3", "NO", "0x1F", "007"])],
        version: nil
    ),
    GoodRegisterCase(
        name: "classes written with a leading zero are decimal",
        yaml: """
        marks:
          - id: HUAWEI
            names: [HUAWEI, 华为]
            kind: time-honored
            classes: [09, 010, 45]
        """,
        marks: [Mark(id: "HUAWEI", names: ["HUAWEI", "华为"], kind: .timeHonored, classes: [9, 10, 45])],
        version: nil
    ),
    GoodRegisterCase(
        name: "generic names match case-insensitively and keep the names' spelling",
        yaml: """
        marks:
          - id: APPLE
            names: [Apple, 苹果]
            kind: geographic-indication
            generic_names: [APPLE, 苹果]
            context: [iphone, ipad]
          - id: xiaomi.cn
            names: [小米]
            generic_names: [小米]
        """,
        marks: [
            Mark(id: "APPLE", names: ["Apple", "苹果"], kind: .geographicIndication,
                 genericNames: ["Apple", "苹果"], context: ["iphone", "ipad"]),
            Mark(id: "xiaomi.cn", names: ["小米"], genericNames: ["小米"]),
        ],
        version: nil
    ),
    GoodRegisterCase(
        name: "empty register",
        yaml: """
        version: 1
        marks: []
        """,
        marks: [],
        version: 1
    ),
]

@Test("good register parses into marks", arguments: goodRegisterCases)
func goodRegister(_ testCase: GoodRegisterCase) {
    let result = RegisterLoader.parse(yaml: testCase.yaml, file: "register.yaml")
    #expect(result.diagnostics == [], "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    #expect(result.marks == testCase.marks)
    #expect(result.version == testCase.version)
}

// MARK: - Files and folders

/// A fresh temporary folder holding `files`, removed after `body`.
private func withTemporaryFolder<T>(
    _ files: [String: String],
    _ body: (String) throws -> T
) throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("markgate-register-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for (name, text) in files {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }
    return try body(folder)
}

@Test func folderConcatenatesMarksInNameOrder() throws {
    let files = [
        "b-sports.yml": """
        version: 1
        marks:
          - id: ADIDAS
            names: [adidas]
        """,
        "a-luxury.yaml": """
        marks:
          - id: LV
            names: [LOUIS VUITTON]
          - id: GUCCI
            names: [GUCCI, 古驰]
        """,
        "notes.txt": "not a register",
        ".hidden.yaml": "garbage: [",
    ]
    let (register, warnings) = try withTemporaryFolder(files) { try RegisterLoader.load(path: $0) }
    #expect(register.marks.map(\.id) == ["LV", "GUCCI", "ADIDAS"])
    #expect(register.version == 1)
    #expect(register.mark(id: "GUCCI")?.names == ["GUCCI", "古驰"])
    #expect(warnings.isEmpty)
}

@Test func duplicateIdAcrossFolderFilesIsReportedInTheSecondFile() throws {
    let files = [
        "a.yaml": """
        marks:
          - id: NIKE
            names: [NIKE]
        """,
        "b.yaml": """
        marks:
          - id: PUMA
            names: [PUMA]
          - id: NIKE
            names: [耐克]
        """,
    ]
    let error = try withTemporaryFolder(files) { folder in
        try #require(throws: RegisterLoadError.self) { try RegisterLoader.load(path: folder) }
    }
    let diagnostic = try #require(error.diagnostics.first)
    #expect(error.diagnostics.count == 1)
    #expect(diagnostic.kind == .duplicateId)
    #expect(diagnostic.location.file.hasSuffix("/b.yaml"))
    #expect(diagnostic.location.line == 4)
    #expect(diagnostic.location.column == 9)
    #expect(diagnostic.message.contains("a.yaml:2:9"), "\(diagnostic.message)")
}

@Test func loadReportsErrorsOfEveryFileAndOnlyErrors() throws {
    let files = [
        "a.yaml": """
        colour: blue
        marks:
          - id: NIKE
            names: [NIKE]
            classes: [99]
        """,
        "b.yaml": """
        marks:
          - id: PUMA
            names: PUMA
        """,
    ]
    let error = try withTemporaryFolder(files) { folder in
        try #require(throws: RegisterLoadError.self) { try RegisterLoader.load(path: folder) }
    }
    #expect(error.diagnostics.map(\.kind) == [.badClass, .wrongType])
    #expect(error.diagnostics.allSatisfy { $0.severity == .error })
    #expect(error.description.split(separator: "\n").count == 2)
    #expect(error.description.hasPrefix(error.diagnostics[0].description))
}

@Test func loadSingleFileReturnsWarnings() throws {
    let files = [
        "register.yaml": """
        version: 1
        colour: blue
        marks:
          - id: NIKE
            names: [NIKE]
        """,
    ]
    let (register, warnings) = try withTemporaryFolder(files) { folder in
        try RegisterLoader.load(path: folder + "/register.yaml")
    }
    #expect(register.marks == [Mark(id: "NIKE", names: ["NIKE"])])
    #expect(warnings.map(ExpectedDiagnostic.init) == [.init(.unknownKey, 2, 1, .warning)])
    #expect(warnings.first?.location.file.hasSuffix("/register.yaml") == true)
}

@Test func loadMissingPathIsUnreadable() throws {
    let path = "/nonexistent/markgate/\(UUID().uuidString).yaml"
    let error = try #require(throws: RegisterLoadError.self) { try RegisterLoader.load(path: path) }
    #expect(error.diagnostics.map(\.kind) == [.unreadable])
    #expect(error.diagnostics.first?.location.file == path)
}

@Test func loadFolderWithoutRegisterFilesIsUnreadable() throws {
    let error = try withTemporaryFolder(["readme.md": "# nothing"]) { folder in
        try #require(throws: RegisterLoadError.self) { try RegisterLoader.load(path: folder) }
    }
    #expect(error.diagnostics.map(\.kind) == [.unreadable])
}

@Test func loadInvalidUTF8IsASyntaxErrorAtTheByte() throws {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("markgate-register-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let bytes = Array("marks:\n  - id: NI".utf8) + [0xFF] + Array("KE\n".utf8)
    #expect(FileManager.default.createFile(atPath: folder + "/r.yaml", contents: Data(bytes)))
    let error = try #require(throws: RegisterLoadError.self) { try RegisterLoader.load(path: folder) }
    #expect(error.diagnostics.map(ExpectedDiagnostic.init) == [.init(.syntax, 2, 11)])
}

// MARK: - The repository's own register

/// `Rules/register.yaml` (or the folder `Rules/register/`) of this repository; nil if neither exists.
private let repositoryRegister: String? = {
    let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // MarkgateIOTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
    return ["Rules/register.yaml", "Rules/register"]
        .map { root.appendingPathComponent($0).path }
        .first { FileManager.default.fileExists(atPath: $0) }
}()

@Test("The shipped starter register loads without errors and has at least 40 marks")
func repositoryRegisterLoadsWithoutErrors() throws {
    let path = try #require(repositoryRegister, "the repository must ship Rules/register.yaml")
    do {
        let (register, _) = try RegisterLoader.load(path: path)
        #expect(register.marks.count >= 40)
        #expect(Set(register.marks.map(\.kind)) == Set(MarkKind.allCases))
    } catch {
        Issue.record("\(path) has errors:\n\(error)")
    }
}

// MARK: - Locations (for register lint)

@Test func parseWithLocationsSaysWhereEachMarkAndNameIsWritten() throws {
    let yaml = """
        marks:
          - id: APPLE
            names: [APPLE, "苹果"]
            variants:
              - APPEL
            generic_names: [apple, 苹果, APPLE]
            context: [iphone]
            min_unit_price: {USD: 19}
          - id: BAD
            names: []
          - names: [NIKE]
            id: NIKE
        """
    let reading = RegisterLoader.parseWithLocations(yaml: yaml, file: "r.yaml")
    #expect(reading.register.marks.map(\.id) == ["APPLE", "NIKE"])
    #expect(reading.errors.map(\.kind) == [.emptyNames])
    #expect(Set(reading.locations.keys) == ["APPLE", "NIKE"], "marks with errors have no locations")
    func at(_ line: Int, _ column: Int) -> MarkgateCore.SourceLocation {
        MarkgateCore.SourceLocation(file: "r.yaml", line: line, column: column)
    }
    let apple = try #require(reading.locations["APPLE"])
    #expect(apple == MarkLocations(
        mark: at(2, 5), id: at(2, 9), names: [at(3, 13), at(3, 20)], variants: [at(5, 9)],
        genericNames: [at(6, 21), at(6, 28)], context: at(7, 14), minUnitPrice: at(8, 21)))
    let nike = try #require(reading.locations["NIKE"])
    #expect(nike.mark == at(11, 5) && nike.id == at(12, 9) && nike.names == [at(11, 13)])
    #expect(nike.context == nil && nike.minUnitPrice == nil && nike.variants.isEmpty)
    // The plain parse gives the same marks and diagnostics.
    let plain = RegisterLoader.parse(yaml: yaml, file: "r.yaml")
    #expect(plain.marks == reading.register.marks && plain.diagnostics == reading.diagnostics)
}

@Test func loadWithLocationsNeverThrowsAndKeepsEveryDiagnostic() throws {
    let files = [
        "a.yaml": """
        colour: blue
        marks:
          - id: NIKE
            names: [NIKE]
        """,
        "b.yaml": """
        marks:
          - id: NIKE
            names: [耐克]
          - id: PUMA
            names: [PUMA]
        """,
    ]
    let reading = try withTemporaryFolder(files) { RegisterLoader.loadWithLocations(path: $0) }
    #expect(reading.register.marks.map(\.id) == ["NIKE", "PUMA"])
    #expect(reading.diagnostics.map(\.kind) == [.unknownKey, .duplicateId])
    #expect(reading.errors.map(\.kind) == [.duplicateId])
    #expect(reading.locations["NIKE"]?.names.first?.file.hasSuffix("/a.yaml") == true)
    #expect(reading.locations["PUMA"]?.names.first?.file.hasSuffix("/b.yaml") == true)
    let missing = RegisterLoader.loadWithLocations(path: "/nonexistent/\(UUID().uuidString).yaml")
    #expect(missing.errors.map(\.kind) == [.unreadable] && missing.register.marks.isEmpty)
}
