import Foundation
import Testing

/// The `markgate` executable built beside the test bundle (`swift build --build-tests` builds both).
private let executable: URL = {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("markgate").path) {
        folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("markgate")
}()

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs `markgate` in the repository with `arguments` and `input` on standard input.
private func markgate(_ arguments: [String], input: String = "") throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = executable
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
    CommandCase(name: "screen-missing-file", arguments: ["screen", "/nonexistent/manifest.csv"], input: "",
                status: 2, stdoutHas: [], stderrHas: ["cannot read /nonexistent/manifest.csv"]),
]

@Test(arguments: commandCases)
func commandLine(_ testCase: CommandCase) throws {
    try #require(FileManager.default.isExecutableFile(atPath: executable.path), "no markgate at \(executable.path)")
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
