public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The folder that holds a person's sessions, and the rules for who may read it.
///
/// Sessions name real people, so the folder is the owner's alone: mode 0700, every file in it 0600,
/// and the process umask set to 077 before anything is opened, because SQLite creates its files 0644.
///
/// The folder may be one a person named (`--data-dir`, `SMALLCHANGES_HOME`), so only the program's own files
/// are ever tightened: a folder holding anything else is refused untouched, and nothing in it that is a
/// symbolic link is followed (in a sticky folder such as /tmp, someone else may have planted it).
public struct DataFolder: Sendable, Equatable {
    /// The folder itself.
    public let url: URL

    public init(url: URL) {
        self.url = url.standardizedFileURL
    }

    /// The folder the program uses, given its `--data-dir` flag and its environment.
    public init(explicit: String?, environment: [String: String]) {
        self.init(url: Self.resolve(explicit: explicit, environment: environment))
    }

    /// Where data lives: `--data-dir` beats `SMALLCHANGES_HOME` beats `$XDG_DATA_HOME/smallchanges`
    /// beats `~/.local/share/smallchanges`.
    ///
    /// Empty values count as unset, and a relative `XDG_DATA_HOME` is ignored, as the XDG spec asks.
    public static func resolve(explicit: String?, environment: [String: String]) -> URL {
        if let explicit, !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true).standardizedFileURL
        }
        if let home = environment["SMALLCHANGES_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true).standardizedFileURL
        }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent(
                "smallchanges", isDirectory: true
            )
            .standardizedFileURL
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".local/share/smallchanges", isDirectory: true).standardizedFileURL
    }

    /// The SQLite database inside the folder.
    public var databaseURL: URL { url.appendingPathComponent(Self.databaseName, isDirectory: false) }

    static let databaseName = "sessions.sqlite"

    /// The database where `smallchanges mcp` keeps the ids of the answers it took (never their words).
    public static let answerIdsName = "mcp-answers.sqlite"

    /// The entries the program makes in its folder: its databases, SQLite's files beside them, the lock, exports.
    static let ownEntries: Set<String> = {
        var entries: Set<String> = ["sessions.lock", "exports"]
        for database in [databaseName, answerIdsName] {
            for suffix in ["", "-wal", "-shm", "-journal"] { entries.insert(database + suffix) }
        }
        return entries
    }()

    /// Makes the folder safe to write to, creating it if needed.
    ///
    /// Sets the process umask to 077 first (for the whole process, on purpose: every file the program
    /// creates from now on is private), creates the folder and any missing parents, and tightens the folder
    /// to 0700 and its own files in it to 0600 when they are looser. Calling it again is harmless.
    ///
    /// - Throws: ``StoreError`` `unreadableFolder` when the folder belongs to someone else, is not a folder (a
    ///   symbolic link included), holds files that are not the program's, or cannot be made private; nothing is
    ///   changed then.
    public func prepare() throws {
        umask(0o077)
        let path = url.path
        try makeFolder()

        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw StoreError.unreadableFolder(
                path: path, reason: "\(Self.lastError()). Choose another folder with --data-dir.")
        }
        guard info.st_mode & S_IFMT != S_IFLNK else {
            throw StoreError.unreadableFolder(
                path: path,
                reason: "it is a symbolic link, which SmallChanges does not follow. Give the folder it points to, "
                    + "with --data-dir.")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw StoreError.unreadableFolder(
                path: path, reason: "it is not a folder. Choose another folder with --data-dir.")
        }
        guard info.st_uid == geteuid() else {
            throw StoreError.unreadableFolder(
                path: path,
                reason: "it belongs to another user (uid \(info.st_uid)), who could read every session in it. "
                    + "Use a folder of your own with --data-dir.")
        }
        let entries = try ownEntriesOnly()
        if info.st_mode & 0o077 != 0 {
            guard chmod(path, 0o700) == 0 else {
                throw StoreError.unreadableFolder(
                    path: path,
                    reason: "other users may open it and it could not be made private (\(Self.lastError())). "
                        + "Run `chmod 700 \(path)` and try again.")
            }
        }
        guard access(path, R_OK | W_OK | X_OK) == 0 else {
            throw StoreError.unreadableFolder(
                path: path, reason: "you cannot read and write it (\(Self.lastError())). Run `chmod 700 \(path)`.")
        }
        try tighten(entries)
    }

    /// Creates the folder and its missing parents, each 0700.
    private func makeFolder() throws {
        var partial = ""
        for component in url.pathComponents where component != "/" {
            partial += "/" + component
            var info = stat()
            if lstat(partial, &info) != 0 && mkdir(partial, 0o700) != 0 && errno != EEXIST {
                throw StoreError.unreadableFolder(
                    path: url.path,
                    reason:
                        "\(partial) could not be created (\(Self.lastError())). Choose another folder with --data-dir.")
            }
        }
    }

    /// The names in the folder, once it is checked that each is the program's own and none is a symbolic link.
    private func ownEntriesOnly() throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url.path)
        } catch {
            throw StoreError.unreadableFolder(
                path: url.path, reason: "its contents cannot be listed (\(error.localizedDescription)).")
        }
        let foreign = names.filter { !Self.ownEntries.contains($0) }.sorted()
        guard foreign.isEmpty else {
            let shown = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
            throw StoreError.unreadableFolder(
                path: url.path,
                reason: "it holds files that are not SmallChanges's (\(shown)), and SmallChanges makes its folder "
                    + "private. Nothing was changed. Give an empty or new folder with --data-dir.")
        }
        for name in names {
            var info = stat()
            if lstat(url.appendingPathComponent(name).path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw StoreError.unreadableFolder(
                    path: url.path,
                    reason: "\(name) in it is a symbolic link, which SmallChanges does not follow. Move it away.")
            }
        }
        return names
    }

    /// Makes the program's own files 0600 and its subfolders 0700, never through a symbolic link.
    private func tighten(_ names: [String]) throws {
        for name in names {
            guard Self.tightenOwn(url.appendingPathComponent(name).path) else {
                throw StoreError.unreadableFolder(
                    path: url.path,
                    reason: "\(name) in it may be read by other users and could not be made private. "
                        + "Run `chmod -R go-rwx \(url.path)` and try again.")
            }
        }
    }

    /// Makes one file 0600 (a folder 0700) when it is looser; a symbolic link is refused, never followed. True
    /// when it is private now, or is not there.
    ///
    /// Called once the folder is the owner's alone (0700), so nobody else can swap a link in between the check
    /// and the change. The file is not opened: closing any descriptor of a file drops every POSIX lock this
    /// process holds on it, and SQLite holds such locks on the database and its `-shm` file.
    static func tightenOwn(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFDIR else { return false }
        guard info.st_mode & 0o077 != 0 else { return true }
        return info.st_uid == geteuid() && chmod(path, type == S_IFDIR ? 0o700 : 0o600) == 0
    }

    /// Writes a file (an export, a backup) that only its owner may read, replacing any file already there.
    ///
    /// The data goes to a new temporary file beside the target, created 0600 with `O_EXCL|O_NOFOLLOW`,
    /// is flushed to disk, renamed over the target, and the folder is flushed too, so the target is
    /// either the old file or the whole new one. A target that is a symbolic link is refused rather
    /// than followed. A failed flush is reported, never retried: the kernel may have dropped the data.
    ///
    /// - Throws: ``StoreError`` `io`.
    public func writePrivately(_ data: Data, to target: URL) throws {
        let targetPath = target.standardizedFileURL.path
        let folderPath = target.standardizedFileURL.deletingLastPathComponent().path
        var info = stat()
        if lstat(targetPath, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw StoreError.io(
                "cannot write \(targetPath): it is a link or a folder, not a plain file. Choose another name.")
        }

        let temporaryPath = folderPath + "/." + target.lastPathComponent + "." + UUID().uuidString + ".tmp"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.io("cannot write in \(folderPath): \(Self.lastError()).")
        }
        var renamed = false
        defer { if !renamed { unlink(temporaryPath) } }
        do {
            defer { close(fd) }
            guard fchmod(fd, 0o600) == 0 else {
                throw StoreError.io("cannot make \(targetPath) private: \(Self.lastError()).")
            }
            try Self.writeAll(data, to: fd, path: targetPath)
            guard fsync(fd) == 0 else {
                throw StoreError.io(
                    "cannot write \(targetPath): the disk did not confirm the data (\(Self.lastError())).")
            }
        }
        guard rename(temporaryPath, targetPath) == 0 else {
            throw StoreError.io("cannot write \(targetPath): \(Self.lastError()).")
        }
        renamed = true
        try Self.syncFolder(folderPath)
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        var remaining = [UInt8](data)
        while !remaining.isEmpty {
            let written = write(fd, remaining, remaining.count)
            if written < 0 {
                if errno == EINTR { continue }
                throw StoreError.io("cannot write \(path): \(lastError()).")
            }
            remaining.removeFirst(written)
        }
    }

    /// Flushes a folder's entries, so a rename in it survives a power cut.
    static func syncFolder(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io("cannot flush the folder \(path): \(lastError()).") }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw StoreError.io("cannot flush the folder \(path): the disk did not confirm it (\(lastError())).")
        }
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
