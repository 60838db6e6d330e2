import Foundation
import SmallChangesCore
import SmallChangesStore

/// Where a plan written out goes.
enum PlanExport {
    /// Writes privately (0600) and returns the path written; `-` writes to stdout.
    static func write(_ text: String, to path: String?, defaultName: String, folder: DataFolder?) throws -> String {
        if path == "-" {
            // On a terminal a long plan goes through the pager; piped, it is written as it is.
            Pager.show(text)
            return "stdout"
        }
        let url: URL
        if let path {
            url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        } else if let folder {
            let exports = folder.url.appendingPathComponent("exports", isDirectory: true)
            try FileManager.default.createDirectory(
                at: exports, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            url = exports.appendingPathComponent(defaultName)
        } else {
            url = URL(fileURLWithPath: defaultName)
        }
        try DataFolder(url: url.deletingLastPathComponent()).writePrivately(Data(text.utf8), to: url)
        return url.path
    }
}
