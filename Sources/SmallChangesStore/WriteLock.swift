#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An advisory file lock that lets one SmallChanges process at a time write to or checkpoint a database.
///
/// The system SQLite (3.40.1 here) has the WAL-reset bug: a WAL database can be corrupted when two
/// connections write or checkpoint at the same moment (fixed in 3.51.3). One `DatabaseQueue` per process
/// keeps a process to one connection, but a REPL and a server sharing a folder are still two. Holding
/// this lock around every write transaction (whose commit runs SQLite's automatic checkpoint), every
/// explicit checkpoint and every migration keeps them one at a time. (SQLite's checkpoint at close runs
/// only when no other connection is open, so it needs none.) The kernel drops the lock when a process
/// dies, so a killed writer never leaves it held.
///
/// `flock` locks belong to the open file, not the thread: callers serialize their own threads (the store
/// takes it inside its `DatabaseQueue`, or during `init` before any other thread can reach it).
final class WriteLock: Sendable {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.io("cannot open the lock file \(path): \(DataFolder.lastError()).")
        }
        fchmod(fd, 0o600)
    }

    deinit {
        close(fd)
    }

    /// Runs `body` holding the lock, waiting up to `timeout` for another process to let go.
    ///
    /// - Throws: ``StoreError`` `busy` when the wait runs out, or what `body` throws.
    func withLock<T>(timeout: Duration, databasePath: String, _ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pauseMicroseconds: UInt32 = 1_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw StoreError.io("cannot lock \(path): \(DataFolder.lastError()).")
            }
            guard clock.now < deadline else { throw StoreError.busy(path: databasePath) }
            usleep(pauseMicroseconds)
            pauseMicroseconds = min(pauseMicroseconds * 2, 16_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
