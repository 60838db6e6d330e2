public import Foundation
public import SmallChangesCore

/// The guide built from a folder's `Prompts/` and `Corpus/` (by default this package's), read from disk: what the
/// tests and benchmarks load instead of the copies built into the binary. Files are named as errors show them
/// (`Prompts/plan.yaml`).
public enum PackageGuide {
    /// The data files sorted into what a guide is built from.
    ///
    /// - Parameter flows: the flow files to keep (`plan.yaml`), so a flow being edited elsewhere does not stop
    ///   tests that do not play it; `nil` keeps them all.
    public static func sources(flows: Set<String>? = nil, root: URL = PackageRoot.url) -> Guide.Sources {
        func files(_ folder: String) -> [(name: String, text: String)] {
            let url = root.appendingPathComponent(folder)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.sorted()
            return names.map { name in
                (
                    "\(folder)/\(name)",
                    (try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)) ?? ""
                )
            }
        }
        let examples = [Guide.Sources.intentsFile, Guide.Sources.themesFile]
        let prompts = files("Prompts")
        func file(_ name: String) -> (name: String, text: String) {
            prompts.first { $0.name == name } ?? (name, "")
        }
        return Guide.Sources(
            flows: prompts.filter { file in
                !examples.contains(file.name) && flows.map { $0.contains(String(file.name.dropFirst(8))) } ?? true
            },
            intents: file(Guide.Sources.intentsFile), themes: file(Guide.Sources.themesFile), cards: files("Corpus"))
    }

    /// The guide of `sources(flows:root:)`; stops the program when it does not build, since nothing that uses it
    /// could run.
    public static func build(flows: Set<String>? = nil, root: URL = PackageRoot.url) -> Guide {
        do {
            return try Guide.build(from: sources(flows: flows, root: root))
        } catch {
            fatalError("the guide of \(root.path) does not build: \(error)")
        }
    }
}
