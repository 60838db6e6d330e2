import Foundation
import Logging
import SmallChangesCore
import TextClassification

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The loaded guide (flows, cards and trained matcher), kept in the state folder between runs, so a start reads
/// it back (a few milliseconds) instead of parsing the YAML and training the matcher (tens of milliseconds).
///
/// One file per key, `guide-KEY.bin`: the key covers the name and text of every data file and this program's
/// build (its path, size, inode and modification time; the build fixes the matcher's configuration and the code
/// that parses and trains), so editing a file (in an organisation's `--prompts` folder as much as the built-in
/// ones) or installing another build parses and trains again. A file that does not read back (damaged, cut
/// short, another format) is ignored and replaced; it shows only in the debug log. Files are 0600 in the 0700
/// state folder, written whole under a temporary name and then renamed, so a reader never sees half a file; only
/// the most recently used few are kept.
struct GuideCache {
    let folder: URL
    /// This program's build, part of every key: another build may train differently from the same data.
    let program: String
    let logger: Logger
    /// How many guides stay in the folder (one per data folder in use, and builds side by side).
    static let kept = 4

    /// The cache of this program in the state folder of `environment`; `nil` when the running binary cannot be
    /// identified, as then a kept guide could come from another build.
    init?(environment: [String: String], logger: Logger) {
        guard let program = Self.programIdentity() else {
            logger.debug("no kept guide: the running program cannot be identified")
            return nil
        }
        folder = StateFolder.url(environment: environment)
        self.program = program
        self.logger = logger
    }

    /// The key of the guide built from `sources` by this build.
    func key(for sources: Guide.Sources) -> UInt64 {
        Guide.key(for: sources, trainer: program)
    }

    /// The guide kept under `key`, or `nil` when there is none or it does not read back. Its matcher is read on
    /// first use; when that part does not read back, the matcher is the one `otherwise` makes.
    func guide(for key: UInt64, otherwise: @escaping @Sendable (ModelDecodingError) -> IntentMatcher) -> Guide? {
        let file = url(for: key)
        // Mapped rather than read: the flows and cards are read now, the matcher's megabytes only when it is
        // first used.
        guard let bytes = try? Data(contentsOf: file, options: .alwaysMapped) else {
            logger.debug(
                "no guide kept for these files and this build", metadata: ["file": "\(file.path)"])
            return nil
        }
        do {
            let guide = try Guide(decodingMatcherLater: bytes, otherwise: otherwise)
            // Touched, so the files still in use are the ones pruning keeps.
            _ = utimes(file.path, nil)
            return guide
        } catch {
            logger.debug("ignoring the kept guide: \(error)", metadata: ["file": "\(file.path)"])
            return nil
        }
    }

    /// Keeps `guide` under `key`, then removes all but the `kept` most recently used; a failure is logged at
    /// debug level and otherwise ignored (the next start parses and trains again).
    func keep(_ guide: Guide, for key: UInt64) {
        let file = url(for: key)
        do {
            try prepareFolder()
            try Self.writeWhole(guide.encoded(), to: file)
            logger.debug("kept the guide", metadata: ["file": "\(file.path)"])
        } catch {
            logger.debug("cannot keep the guide: \(error)", metadata: ["file": "\(file.path)"])
        }
        prune()
    }

    func url(for key: UInt64) -> URL {
        let hex = String(key, radix: 16)
        return folder.appendingPathComponent("guide-\(String(repeating: "0", count: 16 - hex.count))\(hex).bin")
    }

    private func prepareFolder() throws {
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard chmod(folder.path, 0o700) == 0 else { throw CacheError("cannot make \(folder.path) private") }
    }

    /// Writes `bytes` under a temporary name, 0600 from the start, and renames it to `file`.
    private static func writeWhole(_ bytes: [UInt8], to file: URL) throws {
        let temporary = file.path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CacheError("cannot create \(temporary): errno \(errno)") }
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let count = remaining.withContiguousStorageIfAvailable { write(descriptor, $0.baseAddress, $0.count) } ?? -1
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(descriptor)
                unlink(temporary)
                throw CacheError("cannot write \(temporary): errno \(errno)")
            }
            remaining = remaining.dropFirst(count)
        }
        close(descriptor)
        guard rename(temporary, file.path) == 0 else {
            unlink(temporary)
            throw CacheError("cannot rename \(temporary): errno \(errno)")
        }
    }

    /// Removes all but the `kept` most recently used guides, and temporary files left by a writer that died.
    private func prune() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        var guides: [(path: String, used: Date)] = []
        for name in names where name.hasPrefix("guide-") {
            let path = folder.appendingPathComponent(name).path
            guard let used = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
                continue
            }
            if name.hasSuffix(".bin") {
                guides.append((path, used))
            } else if name.hasSuffix(".tmp"), used.timeIntervalSinceNow < -600 {
                try? manager.removeItem(atPath: path)
            }
        }
        for stale in guides.sorted(by: { $0.used > $1.used }).dropFirst(Self.kept) {
            try? manager.removeItem(atPath: stale.path)
        }
    }

    /// The running binary's path, size, inode and modification time; `nil` when it cannot be found.
    private static func programIdentity() -> String? {
        #if os(Linux)
            let path = "/proc/self/exe"
        #else
            guard let path = Bundle.main.executablePath else { return nil }
        #endif
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if os(Linux)
            let modified = info.st_mtim
        #else
            let modified = info.st_mtimespec
        #endif
        return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(modified.tv_sec).\(modified.tv_nsec)"
    }

    private struct CacheError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
