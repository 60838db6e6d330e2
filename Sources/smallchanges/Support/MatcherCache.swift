import Foundation
import Logging
import SmallChangesCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The trained matcher, kept in the state folder between runs, so a start reads it back (a millisecond or two)
/// instead of training (tens of milliseconds).
///
/// One file per training key, `matcher-KEY.bin`: the key covers the text of the two example files, the
/// matcher's configuration and this program's build (its path, size, inode and modification time), so editing
/// the examples (an organisation's `--prompts` folder as much as the built-in ones) or installing another build
/// trains again. A file that does not read back (damaged, cut short, another format) is ignored and replaced;
/// it shows only in the debug log. Files are 0600 in the 0700 state folder, written whole under a temporary
/// name and then renamed, so a reader never sees half a file; only the most recently used few are kept.
struct MatcherCache {
    let folder: URL
    /// This program's build, part of every key: another build may train differently from the same data.
    let program: String
    let logger: Logger
    /// How many matchers stay in the folder (one per set of examples in use, and builds side by side).
    static let kept = 4

    /// The cache of this program in the state folder of `environment`; `nil` when the running binary cannot be
    /// identified, as then a kept matcher could come from another build.
    init?(environment: [String: String], logger: Logger) {
        guard let program = Self.programIdentity() else {
            logger.debug("matcher cache off: the running program cannot be identified")
            return nil
        }
        folder = StateFolder.url(environment: environment)
        self.program = program
        self.logger = logger
    }

    /// The key of the matcher trained on the example files of `sources` by this build.
    func key(for sources: Guide.Sources) -> UInt64 {
        IntentMatcher.trainingKey(intentsText: sources.intents.text, themesText: sources.themes.text, trainer: program)
    }

    /// The matcher kept under `key`, or `nil` when there is none or it does not read back.
    func matcher(for key: UInt64) -> IntentMatcher? {
        let file = url(for: key)
        guard let bytes = FileManager.default.contents(atPath: file.path) else {
            logger.debug(
                "no trained matcher kept for these examples and this build", metadata: ["file": "\(file.path)"])
            return nil
        }
        do {
            let matcher = try IntentMatcher(decoding: bytes)
            // Touched, so the files still in use are the ones pruning keeps.
            _ = utimes(file.path, nil)
            return matcher
        } catch {
            logger.debug("ignoring the kept matcher: \(error)", metadata: ["file": "\(file.path)"])
            return nil
        }
    }

    /// Keeps `matcher` under `key`, then removes all but the `kept` most recently used; a failure is logged at
    /// debug level and otherwise ignored (the next start trains again).
    func keep(_ matcher: IntentMatcher, for key: UInt64) {
        let file = url(for: key)
        do {
            try prepareFolder()
            try Self.writeWhole(matcher.encoded(), to: file)
            logger.debug("kept the trained matcher", metadata: ["file": "\(file.path)"])
        } catch {
            logger.debug("cannot keep the trained matcher: \(error)", metadata: ["file": "\(file.path)"])
        }
        prune()
    }

    func url(for key: UInt64) -> URL {
        let hex = String(key, radix: 16)
        return folder.appendingPathComponent("matcher-\(String(repeating: "0", count: 16 - hex.count))\(hex).bin")
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
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                write(descriptor, $0.baseAddress.map { $0 + written }, $0.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(descriptor)
                unlink(temporary)
                throw CacheError("cannot write \(temporary): errno \(errno)")
            }
            written += count
        }
        close(descriptor)
        guard rename(temporary, file.path) == 0 else {
            unlink(temporary)
            throw CacheError("cannot rename \(temporary): errno \(errno)")
        }
    }

    /// Removes all but the `kept` most recently used matchers, and temporary files left by a writer that died.
    private func prune() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        var matchers: [(path: String, used: Date)] = []
        for name in names where name.hasPrefix("matcher-") {
            let path = folder.appendingPathComponent(name).path
            guard let used = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
                continue
            }
            if name.hasSuffix(".bin") {
                matchers.append((path, used))
            } else if name.hasSuffix(".tmp"), used.timeIntervalSinceNow < -600 {
                try? manager.removeItem(atPath: path)
            }
        }
        for stale in matchers.sorted(by: { $0.used > $1.used }).dropFirst(Self.kept) {
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
