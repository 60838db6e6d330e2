import Foundation
import Testing

@testable import smallchanges

@Suite struct GuideSourceTests {
    /// A new folder holding empty Prompts/ and Corpus/ folders.
    static func adaptedFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("smallchanges-guide-\(UUID())", isDirectory: true).standardizedFileURL
        for folder in ["Prompts", "Corpus"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        return root
    }

    @Test func withNeitherOptionNorVariableTheBuiltInFilesAreUsed() throws {
        #expect(try GuideSource.choose(prompts: nil, environment: [:]) == .builtIn)
        let names = try GuideSource.builtIn.files().map(\.name)
        #expect(names.contains("Prompts/plan.yaml"))
        #expect(names.contains("Corpus/barriers.yaml"))
    }

    @Test func theOptionWinsOverTheVariableAndAPromptsFolderBringsTheCorpusBesideIt() throws {
        let root = try Self.adaptedFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("intents: {}\n".utf8).write(to: root.appendingPathComponent("Prompts/intents.yaml"))
        let environment = ["SMALLCHANGES_ROOT": "/nowhere"]
        #expect(try GuideSource.choose(prompts: root.path, environment: environment) == .folder(root))
        let prompts = root.appendingPathComponent("Prompts").path
        #expect(try GuideSource.choose(prompts: prompts, environment: [:]) == .folder(root))
        #expect(try GuideSource.choose(prompts: nil, environment: ["SMALLCHANGES_ROOT": root.path]) == .folder(root))
    }

    @Test func aFolderWithoutPromptsAndCorpusIsRefusedNamingWhereItCameFrom() {
        #expect(throws: UsageError.self) {
            try GuideSource.choose(prompts: nil, environment: ["SMALLCHANGES_ROOT": "/"])
        }
        do {
            _ = try GuideSource.choose(prompts: "/nowhere", environment: [:])
        } catch {
            #expect("\(error)" == "--prompts /nowhere: no Prompts/ and Corpus/ folders there")
        }
    }
}
