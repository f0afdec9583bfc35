import Foundation

/// The `markgate` executable built beside the test bundle (`swift build --build-tests` builds both).
public let builtMarkgate: URL = {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("markgate").path) {
        folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("markgate")
}()

/// The package's root folder (fixtures: Rules/, SampleData/; commands run there, so `Rules/…` defaults resolve).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
