public import Foundation
import SmallChangesTesting

/// The `smallchanges` executable a benchmark times: the one given, else the main package's build of the same
/// configuration as this benchmark (`.build/release/smallchanges` for `swift run -c release`).
public enum SmallchangesBinary {
    public static func locate(_ given: String?) throws -> URL {
        if let given { return URL(fileURLWithPath: given).resolvingSymlinksInPath() }
        #if DEBUG
            let configuration = "debug"
        #else
            let configuration = "release"
        #endif
        let built = PackageRoot.url.appendingPathComponent(".build/\(configuration)/smallchanges")
        guard FileManager.default.isExecutableFile(atPath: built.path) else {
            throw BenchmarkFailure(
                "no smallchanges binary at \(built.path): build it first (swift build -c \(configuration) in "
                    + "\(PackageRoot.url.path)), or name one")
        }
        return built
    }
}
