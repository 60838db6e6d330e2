// swift-tools-version:6.0
import PackageDescription

/// One language policy for every target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Release builds of the executable on Linux carry the Swift runtime and Foundation (macOS has its own).
let releaseOnLinux = BuildSettingCondition.when(platforms: [.linux], configuration: .release)

let package = Package(
    name: "SmallChanges",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smallchanges", targets: ["smallchanges"]),
        .library(name: "SmallChangesCore", targets: ["SmallChangesCore"]),
        .library(name: "TextClassification", targets: ["TextClassification"]),
        // For the Benchmarks package beside this one (`Benchmarks/`), which measures these from outside.
        .library(name: "SmallChangesStore", targets: ["SmallChangesStore"]),
        .library(name: "SmallChangesServer", targets: ["SmallChangesServer"]),
        .library(name: "SmallChangesTesting", targets: ["SmallChangesTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(path: "BuildTools"),
    ],
    targets: [
        .systemLibrary(
            name: "CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // The text classifier's hot loops: the one module where unsafe pointers and scratch memory are allowed.
        .target(
            name: "TextClassification",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SmallChangesCore",
            dependencies: ["TextClassification", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SmallChangesStore",
            dependencies: [
                "SmallChangesCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SmallChangesPostgres",
            dependencies: [
                "SmallChangesCore",
                "SmallChangesStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SmallChangesServer",
            dependencies: [
                "SmallChangesCore",
                "SmallChangesStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SmallChangesMCP",
            dependencies: [
                "SmallChangesCore",
                "SmallChangesStore",
                "SmallChangesServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "smallchanges",
            dependencies: [
                "CReadline",
                "SmallChangesCore",
                "SmallChangesStore",
                "SmallChangesPostgres",
                "SmallChangesServer",
                "SmallChangesMCP",
                "TextClassification",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // A release binary carries the Swift runtime and Foundation (ICU included), so an installed or copied
            // binary needs only the system's libraries. Compiled with the flag too, so this target's objects name
            // the static Foundation's own libraries for the linker. Debug builds and tests stay dynamic.
            swiftSettings: swiftSettings + [.unsafeFlags(["-static-stdlib"], releaseOnLinux)],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], releaseOnLinux)],
            // Prompts/ and Corpus/ built in, so the binary runs wherever it is copied.
            plugins: [.plugin(name: "EmbedData", package: "BuildTools")]
        ),
        // What the tests and the benchmarks share: the package root, its guide, the binary runner, scripted
        // answers. Not part of the executable.
        .target(
            name: "SmallChangesTesting",
            dependencies: ["SmallChangesCore"],
            path: "Tests/SmallChangesTesting",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SmallChangesCoreTests",
            dependencies: ["SmallChangesCore", "SmallChangesTesting", "TextClassification"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SmallChangesStoreTests",
            dependencies: [
                "SmallChangesStore", "SmallChangesCore", "SmallChangesPostgres", "SmallChangesTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // Read from the source tree by the end-to-end replay test.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SmallChangesServerTests",
            dependencies: [
                "SmallChangesServer", "SmallChangesStore", "SmallChangesCore", "SmallChangesPostgres",
                "SmallChangesTesting", "TextClassification",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SmallChangesMCPTests",
            dependencies: [
                "SmallChangesMCP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "smallchangesTests",
            dependencies: [
                "smallchanges", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SmallchangesEndToEndTests",
            dependencies: ["SmallChangesCore", "SmallChangesPostgres", "SmallChangesTesting", "smallchanges"],
            // Read from the source tree by the golden test, next to which they live.
            exclude: ["Golden/reflect.answers", "Golden/reflect.plan.json"],
            resources: [.copy("Transcripts")],
            swiftSettings: swiftSettings
        ),
    ]
)
