// swift-tools-version:6.0
import PackageDescription

/// Tools that run while SmallChanges builds. A package of their own, so that their executable is not a
/// second executable product of SmallChanges (`swift package experimental-install` wants exactly one).
let package = Package(
    name: "BuildTools",
    products: [
        .plugin(name: "EmbedData", targets: ["EmbedData"])
    ],
    targets: [
        .executableTarget(
            name: "embed-data",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .plugin(
            name: "EmbedData",
            capability: .buildTool(),
            dependencies: ["embed-data"]
        ),
    ]
)
