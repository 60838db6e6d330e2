// swift-tools-version:6.0
import PackageDescription

/// The same language policy as the package it measures.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The benchmarks, kept out of the `smallchanges` binary and out of the main package's build and tests. Each is an
/// executable: `swift run -c release --package-path Benchmarks bench-serve --clients 1000 --seconds 5`. Those that
/// time the binary (`bench-serve`, `bench-startup`) run the main package's release build, `.build/release/smallchanges`
/// (`swift build -c release` first), unless given another.
let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SmallChanges", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "SmallChangesTesting", package: "SmallChanges")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bench-serve",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "SmallChangesServer", package: "SmallChanges"),
                .product(name: "SmallChangesTesting", package: "SmallChanges"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bench-turns",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "SmallChangesCore", package: "SmallChanges"),
                .product(name: "SmallChangesServer", package: "SmallChanges"),
                .product(name: "SmallChangesStore", package: "SmallChanges"),
                .product(name: "SmallChangesTesting", package: "SmallChanges"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bench-startup",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bench-intents",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "SmallChangesCore", package: "SmallChanges"),
                .product(name: "TextClassification", package: "SmallChanges"),
                .product(name: "SmallChangesTesting", package: "SmallChanges"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
