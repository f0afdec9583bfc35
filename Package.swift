// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "markgate",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MarkgateCore", targets: ["MarkgateCore"]),
        .library(name: "MarkgateIO", targets: ["MarkgateIO"]),
        .library(name: "MarkgateStore", targets: ["MarkgateStore"]),
        .executable(name: "markgate", targets: ["markgate"]),
        .executable(name: "markgate-bench", targets: ["markgate-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
    ],
    targets: [
        // Pure core: normalization, automaton, register model, screener. Standard library only.
        .target(name: "MarkgateCore"),

        // C libraries, entering through system-library targets (as GRDB does with SQLite).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // SHA-256 blocks on the x86 SHA extensions, when the CPU has them (SHA256 falls back to Swift otherwise).
        .target(name: "CSHA256"),

        // Readers, writers, register loading: everything that touches files.
        .target(
            name: "MarkgateIO",
            dependencies: [
                "MarkgateCore", "CLibXML2", "CSQLite", "CZlib", "CSHA256",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // The case book: decisions, reviews and their hash chains in SQLite (GRDB, WAL).
        .target(
            name: "MarkgateStore",
            dependencies: ["MarkgateCore", "MarkgateIO", "CSQLite", .product(name: "GRDB", package: "GRDB.swift")]
        ),

        // The HTTP screening service (Hummingbird): routes, limits, metrics, reload.
        .target(
            name: "MarkgateServer",
            dependencies: [
                "MarkgateCore", "MarkgateIO", "MarkgateStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),

        // The thin command line.
        .executableTarget(
            name: "markgate",
            dependencies: [
                "MarkgateCore", "MarkgateIO", "MarkgateStore", "MarkgateServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Open-loop fixed-rate HTTP load generator for `markgate serve` (scripts/load; not a test).
        .executableTarget(name: "markgate-load"),

        // Helpers shared by the tests and the benchmark (seeded generators).
        .target(name: "MarkgateTestSupport"),

        // Throughput benchmark: generated register and corpus, prints figures (not a test).
        .executableTarget(
            name: "markgate-bench",
            dependencies: ["MarkgateCore", "MarkgateIO", "MarkgateStore", "MarkgateTestSupport"]
        ),

        .testTarget(name: "MarkgateCoreTests", dependencies: ["MarkgateCore", "MarkgateTestSupport"]),
        .testTarget(name: "MarkgateIOTests", dependencies: ["MarkgateCore", "MarkgateIO", "MarkgateTestSupport"]),
        .testTarget(
            name: "MarkgateStoreTests",
            dependencies: [
                "MarkgateCore", "MarkgateIO", "MarkgateStore", "MarkgateTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "MarkgateServerTests",
            dependencies: [
                "MarkgateCore", "MarkgateIO", "MarkgateStore", "MarkgateServer", "MarkgateTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
