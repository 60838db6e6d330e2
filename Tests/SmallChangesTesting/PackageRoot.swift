public import Foundation

/// The folder of this package's `Package.swift`, `Prompts/` and `Corpus/`, found from this file's path, so tests and
/// benchmarks read the package's own data files wherever they run from.
public enum PackageRoot {
    public static let url: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            let manifest = folder.appendingPathComponent("Package.swift").path
            let examples = folder.appendingPathComponent("Prompts/intents.yaml").path
            if FileManager.default.fileExists(atPath: manifest), FileManager.default.fileExists(atPath: examples) {
                return folder
            }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    }()
}
