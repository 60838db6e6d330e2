import Foundation
import SmallChangesStore

/// A fresh folder under the system's temporary directory, removed when the test is done.
struct TemporaryFolder: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("smallchanges-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A data folder inside it, not created yet.
    var dataFolder: DataFolder { DataFolder(url: url.appendingPathComponent("data", isDirectory: true)) }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
