import Foundation

// The same locator as MarkgateIOTests' BuiltExecutable.swift (test targets cannot share a file).

/// The `markgate` executable built beside the test bundle (`swift build --build-tests` builds both).
let builtMarkgate: URL = {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    while folder.path != "/", !FileManager.default.fileExists(atPath: folder.appendingPathComponent("markgate").path) {
        folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("markgate")
}()

/// The package's root folder (commands run there, so `Rules/…` defaults resolve).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
