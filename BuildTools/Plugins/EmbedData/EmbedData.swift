import Foundation
import PackagePlugin

/// Builds the package's default Prompts/ and Corpus/ YAML files into the target that uses this plugin, as
/// a generated `BuiltInData.swift`, so a binary copied anywhere carries its flows and cards.
@main
struct EmbedData: BuildToolPlugin {
    /// The folders embedded, relative to the package root, and the extensions of the files taken from them.
    static let folders = ["Prompts", "Corpus"]
    static let extensions: Set<String> = ["yaml", "yml"]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        var names: [String] = []
        for folder in Self.folders {
            let entries = try FileManager.default.contentsOfDirectory(atPath: root.appending(path: folder).path)
            names += entries.filter { Self.extensions.contains(URL(fileURLWithPath: $0).pathExtension) }
                .sorted().map { "\(folder)/\($0)" }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInData.swift")
        // The folders are inputs too, so adding or removing a file runs the tool again; the tool lists them
        // itself, since these arguments were fixed when the build was planned.
        return [
            .buildCommand(
                displayName: "Embedding \(Self.folders.map { "\($0)/" }.joined(separator: " and "))",
                executable: try context.tool(named: "embed-data").url,
                arguments: [output.path, root.path] + Self.folders,
                inputFiles: Self.folders.map { root.appending(path: $0) } + names.map { root.appending(path: $0) },
                outputFiles: [output]
            )
        ]
    }
}
