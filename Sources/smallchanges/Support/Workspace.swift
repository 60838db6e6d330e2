import Foundation
import Logging
import SmallChangesCore
import SmallChangesStore

/// Where the program finds its data files (Prompts/, Corpus/) and keeps the user's sessions.
struct Workspace {
    /// The folder holding Prompts/ and Corpus/.
    let root: URL

    /// Finds Prompts/ and Corpus/: `SMALLCHANGES_ROOT`, else the nearest folder holding both, walking up
    /// from the current directory and then from the executable (which lives in `.build/…` under the
    /// package when run with `swift run`).
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        if let explicit = environment["SMALLCHANGES_ROOT"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit, isDirectory: true)
            guard holdsData(url) else {
                throw UsageError("SMALLCHANGES_ROOT=\(explicit) has no Prompts/ and Corpus/ folders")
            }
            return Workspace(root: url)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
            executable.deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                if holdsData(folder) { return Workspace(root: folder) }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw UsageError(
            "cannot find the Prompts/ and Corpus/ folders: run from the SmallChanges folder or set SMALLCHANGES_ROOT")
    }

    static func holdsData(_ folder: URL) -> Bool {
        var isFolder: ObjCBool = false
        let manager = FileManager.default
        return manager.fileExists(atPath: folder.appendingPathComponent("Prompts/intents.yaml").path)
            && manager.fileExists(atPath: folder.appendingPathComponent("Corpus").path, isDirectory: &isFolder)
            && isFolder.boolValue
    }

    /// Reads, checks and trains everything in Prompts/ and Corpus/.
    func loadGuide() throws -> Guide {
        let prompts = root.appendingPathComponent("Prompts", isDirectory: true)
        let corpus = root.appendingPathComponent("Corpus", isDirectory: true)
        func yamlFiles(_ folder: URL) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
        func read(_ url: URL, shownAs folder: String) throws -> (name: String, text: String) {
            let name = "\(folder)/\(url.lastPathComponent)"
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw SourceError(file: name, line: 0, "cannot be read")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw SourceError(file: name, line: 0, "is not UTF-8 text")
            }
            return (name, text)
        }
        let examples: Set<String> = ["intents.yaml", "themes.yaml"]
        let promptFiles = try yamlFiles(prompts)
        let flows = try promptFiles.filter { !examples.contains($0.lastPathComponent) }
            .map { try read($0, shownAs: "Prompts") }
        let sources = Guide.Sources(
            flows: flows,
            intents: try read(prompts.appendingPathComponent("intents.yaml"), shownAs: "Prompts"),
            themes: try read(prompts.appendingPathComponent("themes.yaml"), shownAs: "Prompts"),
            cards: try yamlFiles(corpus).map { try read($0, shownAs: "Corpus") })
        return try Guide.build(from: sources)
    }

    /// Opens the user's session store, making its folder private first.
    static func openStore(dataDir: String?, logger: Logger) throws -> SQLiteSessionStore {
        let folder = DataFolder(explicit: dataDir, environment: ProcessInfo.processInfo.environment)
        try folder.prepare()
        return try SQLiteSessionStore(folder: folder, logger: logger)
    }
}

/// A problem with how the program was called or set up, reported on stderr with exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
