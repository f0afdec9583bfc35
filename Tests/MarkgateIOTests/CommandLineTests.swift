import Foundation
import MarkgateIO
import MarkgateTestSupport
import Testing

private let repository = packageRoot

/// Runs `markgate` in the repository with `arguments` and `input` on standard input.
private func markgate(_ arguments: [String], input: String = "") throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = builtMarkgate
    process.arguments = arguments
    process.currentDirectoryURL = repository
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

private func temporary(_ name: String, _ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-cli-\(UUID())-\(name)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A command line and what it must do (contract §4 exit statuses).
struct CommandCase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    let input: String
    let status: Int32
    let stdoutHas: [String]
    let stderrHas: [String]
    var testDescription: String { name }
}

let commandCases: [CommandCase] = [
    CommandCase(name: "check-hit", arguments: ["check", "ＮＩＫＥ Air 正品耐克運動鞋", "--hs", "640411"], input: "",
                status: 0, stdoutHas: ["NIKE", "0..<4", "exact"], stderrHas: []),
    CommandCase(name: "check-bad-hs", arguments: ["check", "x", "--hs", "12"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["--hs must be 6 to 10 digits"]),
    CommandCase(name: "check-price-without-currency", arguments: ["check", "x", "--price", "3"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["--price and --currency go together"]),
    CommandCase(name: "screen-stdin-good", arguments: ["screen", "-"],
                input: "parcel_id,description,hs_code\nS1,NIKE shoes,640411\nS2,cotton socks,611595\n",
                status: 0, stdoutHas: ["\"parcel\":\"S1\",\"decision\":\"review\"", "\"parcel\":\"S2\",\"decision\":\"clear\""],
                stderrHas: ["2 parcels", "0 errors"]),
    CommandCase(name: "screen-stdin-broken-row", arguments: ["screen", "-"],
                input: "parcel_id,description,hs_code\nS1,NIKE shoes,640411\nS2,\"unterminated\nS3,socks,611595\n",
                status: 1, stdoutHas: ["\"parcel\":\"S1\"", "\"parcel\":\"S2\",\"error\":\"line 3", "\"parcel\":\"S3\""],
                stderrHas: ["1 errors"]),
    CommandCase(name: "screen-json-lines-stdin", arguments: ["screen", "-", "--format", "csv"],
                input: #"{"parcel_id": "J1", "items": [{"description": "ROLEX watch", "hs_code": "910221"}]}"# + "\n",
                status: 0, stdoutHas: ["parcel,decision,score", "J1,review"], stderrHas: []),
    CommandCase(name: "screen-no-files", arguments: ["screen"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["Missing expected argument"]),
    CommandCase(name: "rules-lint-shipped", arguments: ["rules", "lint"], input: "",
                status: 0, stdoutHas: ["Rules/rules.yaml: 0 errors, 0 warnings"], stderrHas: []),
    CommandCase(name: "rules-lint-missing-file", arguments: ["rules", "lint", "--rules", "/nonexistent/rules.yaml"],
                input: "", status: 2,
                stdoutHas: ["/nonexistent/rules.yaml:1:1: error: no such file [unreadable]", "1 error, 0 warnings"],
                stderrHas: []),
    CommandCase(name: "screen-missing-rules", arguments: ["screen", "-", "--rules", "/nonexistent/rules.yaml"],
                input: "parcel_id,description\nS1,socks\n", status: 2, stdoutHas: [],
                stderrHas: ["/nonexistent/rules.yaml:1:1: error: no such file [unreadable]"]),
    CommandCase(name: "screen-missing-file", arguments: ["screen", "/nonexistent/manifest.csv"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["cannot read /nonexistent/manifest.csv"]),
    CommandCase(name: "register-lint-shipped", arguments: ["register", "lint"], input: "",
                status: 0, stdoutHas: ["Rules/register.yaml:", ": warning: ", "[everyday-name]"],
                stderrHas: ["Rules/register.yaml: 72 marks, 0 error(s)"]),
    CommandCase(name: "register-stats-table", arguments: ["register", "stats"], input: "",
                status: 0, stdoutHas: ["marks                           72", "  geographic-indication", "  CJK",
                                       "automaton patterns"], stderrHas: []),
    CommandCase(name: "register-stats-json", arguments: ["register", "stats", "--json"], input: "",
                status: 0, stdoutHas: ["\"marks\":72", "\"names_by_script\":{\"cjk\":", "\"price_floors_by_currency\""],
                stderrHas: []),
    CommandCase(name: "register-import-stdin", arguments: ["register", "import", "-"],
                input: "id,names,classes,min_unit_price\nNIKE,NIKE|耐克,25|28,USD:40\n",
                status: 0, stdoutHas: ["version: 1\nmarks:\n  - id: \"NIKE\"\n    names: [\"NIKE\", \"耐克\"]",
                                       "min_unit_price: {\"USD\": 40}"],
                stderrHas: ["imported 1 mark from <stdin>"]),
    CommandCase(name: "register-import-bad-rows", arguments: ["register", "import", "-"],
                input: "id,names,kind\nNIKE,NIKE,brand\nNIKE,耐克\n",
                status: 2, stdoutHas: [],
                stderrHas: ["<stdin>:2:11: error: unknown kind \"brand\"", "<stdin>:3:8: error: row has 2 fields",
                            "<stdin> has 2 error(s); nothing written"]),
    CommandCase(name: "register-import-missing-file", arguments: ["register", "import", "/nonexistent/r.csv"],
                input: "", status: 2, stdoutHas: [],
                stderrHas: ["/nonexistent/r.csv:1:1: error: cannot read file [unreadable]"]),
]

@Test(arguments: commandCases)
func commandLine(_ testCase: CommandCase) throws {
    try #require(FileManager.default.isExecutableFile(atPath: builtMarkgate.path),
                 "no markgate at \(builtMarkgate.path)")
    let result = try markgate(testCase.arguments, input: testCase.input)
    #expect(result.status == testCase.status, "stderr: \(result.err)")
    for text in testCase.stdoutHas { #expect(result.out.contains(text), "stdout: \(result.out)") }
    for text in testCase.stderrHas { #expect(result.err.contains(text), "stderr: \(result.err)") }
}

@Test("A bad register stops the command with status 2 and one line per problem, with file, line and column")
func badRegisterExitsTwo() throws {
    let register = try temporary("register.yaml", """
        version: 1
        marks:
          - id: NIKE
            names: [NIKE]
            classes: [25, 46]
          - id: NIKE
            names: []
        """)
    defer { try? FileManager.default.removeItem(atPath: register) }
    let result = try markgate(["check", "nike", "--register", register])
    #expect(result.status == 2)
    #expect(result.err.contains("\(register):5:19: error: class 46 is outside 1–45 [bad-class]"), "\(result.err)")
    #expect(result.err.contains("duplicate id \"NIKE\""))
    #expect(result.err.contains("empty-names"))
}

// MARK: - --encoding and --map

let manifestOptionCommandCases: [CommandCase] = [
    CommandCase(name: "screen-map-renames", arguments: ["screen", "-", "--map", "description=gname",
                                                          "--map", "parcel_id=Waybill"],
                input: "waybill,GName,hs_code\nW1,NIKE shoes,640411\n",
                status: 0, stdoutHas: ["\"parcel\":\"W1\",\"decision\":\"review\""], stderrHas: ["1 parcels"]),
    CommandCase(name: "screen-map-not-a-contract-column", arguments: ["screen", "-", "--map", "desc=gname"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["\"desc\" is not a contract column"]),
    CommandCase(name: "screen-map-malformed", arguments: ["screen", "-", "--map", "gname"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["expected contract=column"]),
    CommandCase(name: "screen-map-twice",
                arguments: ["screen", "-", "--map", "description=a", "--map", "description=b"], input: "", status: 2, stdoutHas: [], stderrHas: ["description is mapped twice"]),
    CommandCase(name: "screen-encoding-unknown", arguments: ["screen", "-", "--encoding", "latin1"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["'latin1' is invalid for '--encoding"]),
    CommandCase(name: "screen-encoding-utf8-any-case", arguments: ["screen", "-", "--encoding", "UTF-8"],
                input: "parcel_id,description\nU1,socks\n", status: 0,
                stdoutHas: ["\"parcel\":\"U1\",\"decision\":\"clear\""], stderrHas: []),
]

@Test(arguments: manifestOptionCommandCases)
func manifestOptionsCommandLine(_ testCase: CommandCase) throws {
    try commandLine(testCase)
}

@Test("--encoding gb18030 with --map reads a GB18030 file: hits found, an undecodable row an error record, status 1")
func gb18030FileCommandLine() throws {
    // "waybill,gname,hs_code\nG1,正品耐克,640411\nG2,<FF>,611595\nG3,棉袜,611595\n" in GB18030 (耐克 is C4 CD BF CB).
    var bytes = Array("waybill,gname,hs_code\nG1,".utf8) + [0xD5, 0xFD, 0xC6, 0xB7, 0xC4, 0xCD, 0xBF, 0xCB]
    bytes += Array(",640411\nG2,".utf8) + [0xFF] + Array(",611595\nG3,".utf8) + [0xC3, 0xDE, 0xCD, 0xE0]
    bytes += Array(",611595\n".utf8)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-cli-\(UUID())-gb.csv").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try markgate(["screen", path, "--encoding", "gb18030", "--map", "description=gname",
                               "--map", "parcel_id=waybill"])
    #expect(result.status == 1, "stderr: \(result.err)")
    #expect(result.out.contains("\"parcel\":\"G1\",\"decision\":\"review\""), "\(result.out)")
    #expect(result.out.contains("\"matched\":\"耐克\""), "\(result.out)")
    #expect(result.out.contains("\"parcel\":\"G2\",\"error\":\"line 3, column 4: invalid GB18030 byte sequence 0xFF\""),
            "\(result.out)")
    #expect(result.out.contains("\"parcel\":\"G3\",\"decision\":\"clear\""), "\(result.out)")
}

/// A rules file with two errors (review above inspect, an unknown signal).
private let badRules = """
    version: 1
    thresholds: {review: 0.9, inspect: 0.8}
    weights: {mark-exat: 0.6}
    """

@Test("rules lint: every error with file, line and column, a summary, exit status 2")
func rulesLintErrorsExitTwo() throws {
    let rules = try temporary("rules.yaml", badRules)
    defer { try? FileManager.default.removeItem(atPath: rules) }
    let result = try markgate(["rules", "lint", "--rules", rules])
    #expect(result.status == 2, "stderr: \(result.err)")
    let lines = result.out.split(separator: "\n").map(String.init)
    #expect(lines.count == 3, "\(result.out)")
    #expect(lines.first?.hasPrefix("\(rules):2:22: error: `review` 0.9 is above `inspect` 0.8") == true,
            "\(result.out)")
    #expect(lines.dropFirst().first?.hasPrefix("\(rules):3:11: error: unknown signal \"mark-exat\"") == true)
    #expect(lines.last == "\(rules): 2 errors, 0 warnings")
}

@Test("rules lint: warnings only (read against the register) exit 0")
func rulesLintWarningsExitZero() throws {
    var text = try String(contentsOf: repository.appendingPathComponent("Rules/rules.yaml"), encoding: .utf8)
    text = text.replacingOccurrences(of: "allowlist: []", with: "allowlist: [{consignor: ACME, mark: NIKEE}]")
    text = text.replacingOccurrences(of: "  slang: 0.3 ", with: "  slang: 0   ")
    let rules = try temporary("rules.yaml", text)
    defer { try? FileManager.default.removeItem(atPath: rules) }
    let result = try markgate(["rules", "lint", "--rules", rules, "--register", "Rules/register.yaml"])
    #expect(result.status == 0, "stderr: \(result.err)")
    #expect(result.out.contains(": warning: slang weighs 0, so it never fires [never-fires]"), "\(result.out)")
    #expect(result.out.contains(": warning: the allowlist names mark \"NIKEE\""), "\(result.out)")
    #expect(result.out.hasSuffix("\(rules): 0 errors, 2 warnings\n"), "\(result.out)")
}

@Test("screen and check with bad rules stop with status 2 and every error")
func badRulesExitTwo() throws {
    let rules = try temporary("rules.yaml", badRules)
    defer { try? FileManager.default.removeItem(atPath: rules) }
    for arguments in [["screen", "-", "--rules", rules], ["check", "nike", "--rules", rules]] {
        let result = try markgate(arguments, input: "parcel_id,description\nS1,NIKE shoes\n")
        #expect(result.status == 2, "\(arguments): \(result.err)")
        #expect(result.out.isEmpty)
        #expect(result.err.contains("\(rules):2:22: error: ") && result.err.contains("\(rules):3:11: error: "),
                "\(result.err)")
    }
}

@Test("Decisions carry the sha256 of the rules file's bytes, from --rules or Rules/rules.yaml")
func decisionsCarryTheRulesHash() throws {
    let shipped = try #require(ContentHash.file(at: repository.appendingPathComponent("Rules/rules.yaml").path))
    let byDefault = try markgate(["check", "NIKE shoes", "--hs", "640411", "--json"])
    #expect(byDefault.status == 0, "stderr: \(byDefault.err)")
    #expect(byDefault.out.contains("\"rules\":\"\(shipped)\""), "\(byDefault.out)")

    // Other rules: a higher review threshold clears a plain exact hit, and the hash follows the file.
    var text = try String(contentsOf: repository.appendingPathComponent("Rules/rules.yaml"), encoding: .utf8)
    text = text.replacingOccurrences(of: "thresholds: {review: 0.5, inspect: 0.8}",
                                     with: "thresholds: {review: 0.7, inspect: 0.8}")
    let rules = try temporary("rules.yaml", text)
    defer { try? FileManager.default.removeItem(atPath: rules) }
    let other = try #require(ContentHash.file(at: rules))
    #expect(other != shipped)
    let result = try markgate(["screen", "-", "--rules", rules], input: "parcel_id,description\nS1,NIKE\n")
    #expect(result.status == 0, "stderr: \(result.err)")
    #expect(result.out.contains("\"decision\":\"clear\",\"score\":0.6,"), "\(result.out)")
    #expect(result.out.contains("\"rules\":\"\(other)\""), "\(result.out)")
}

@Test("register lint prints errors and warnings in file order and exits 2 on errors")
func registerLintWithErrors() throws {
    let register = try temporary("register.yaml", """
        version: 1
        marks:
          - id: APPLE
            names: [APPLE]
          - id: NIKE
            names: [NIKE]
            classes: [46]
          - id: LV
            names: [LV]
        """)
    defer { try? FileManager.default.removeItem(atPath: register) }
    let result = try markgate(["register", "lint", "--register", register])
    #expect(result.status == 2, "stderr: \(result.err)")
    let lines = result.out.split(separator: "\n").map(String.init)
    #expect(lines == [
        "\(register):4:13: warning: name \"APPLE\" of APPLE is an everyday English word (\"apple\"), so it counts "
            + "wherever the word is written; list it in generic_names (with context words) so that it counts only in "
            + "context [everyday-name]",
        "\(register):7:15: error: class 46 is outside 1–45 [bad-class]",
        "\(register):9:13: warning: name \"LV\" of LV is two letters or digits, so it counts wherever it stands "
            + "alone; list it in generic_names and give context words so that it counts only in context [short-name]",
    ], "\(result.out)")
    #expect(result.err.contains("2 marks, 1 error(s), 2 warning(s)"), "\(result.err)")
}

@Test("register import --out writes a register that lints and loads")
func registerImportToFile() throws {
    let csv = try temporary("register.csv", """
        id,names,kind,classes,generic_names,context,min_unit_price
        APPLE,APPLE|苹果|Apple Inc,trademark,9,APPLE|苹果,iphone|ipad,USD:19
        "3M","3M",,1|9|16,3M,scotch|tape,
        """)
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("markgate-cli-\(UUID()).yaml").path
    defer {
        try? FileManager.default.removeItem(atPath: csv)
        try? FileManager.default.removeItem(atPath: out)
    }
    let imported = try markgate(["register", "import", csv, "--out", out])
    #expect(imported.status == 0, "stderr: \(imported.err)")
    #expect(imported.out.isEmpty)
    #expect(imported.err.contains("imported 2 marks from \(csv) to \(out)"), "\(imported.err)")
    let lint = try markgate(["register", "lint", "--register", out])
    #expect(lint.status == 0, "stderr: \(lint.err)")
    #expect(!lint.out.contains("error:"))
    #expect(lint.out.contains("every name of 3M is generic"), "\(lint.out)")
    let stats = try markgate(["register", "stats", "--json", "--register", out])
    #expect(stats.status == 0)
    #expect(stats.out.contains("\"marks\":2") && stats.out.contains("\"generic_names\":3"), "\(stats.out)")
}
