import Foundation
import Logging
import PostgresNIO
public import SmallChangesCore
public import SmallChangesStore

/// What the listening connection is doing; changed under the store's lock.
struct Listening: Sendable {
    var task: Task<Void, Never>?
    /// The backend process of the listening connection while it is up: the seats this instance holds are
    /// recorded under it, so they stop counting when the instance dies.
    var backend: Int32?
    /// The seats this instance holds, recorded again under a new backend after a reconnect.
    var seats: [(id: SessionID, name: String)] = []
}

/// One dedicated connection per instance listens for the notifications every instance sends after it commits.
extension PostgresSessionStore: SessionChangeFeed {
    /// How often the watcher says `anything`, so a lost notification, or the seats of an instance that died
    /// without leaving them, are noticed within this long.
    static let sweep: Duration = .seconds(5)

    public func watch(_ changed: @escaping @Sendable (SessionChange) -> Void) {
        let task = Task(executorPreference: executor) { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                do {
                    try await self.listen(changed)
                } catch {
                    self.logger.warning(
                        "lost the connection that listens for other instances; reconnecting",
                        metadata: ["database": "\(self.url)", "error": "\(type(of: error))"])
                }
                self.listening.withLock { $0.backend = nil }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        listening.withLock { state in
            state.task?.cancel()
            state.task = task
        }
    }

    /// Connects, records this instance's seats under the new backend, and passes on notifications until the
    /// connection fails or the task is cancelled.
    private func listen(_ changed: @escaping @Sendable (SessionChange) -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            on: executor.group.next(), configuration: url.connectionConfiguration(), id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        var backend: Int32 = 0
        for try await pid in try await connection.query("SELECT pg_backend_pid()", logger: logger).decode(Int32.self) {
            backend = pid
        }
        try await connection.listen(on: PostgresSchema.turnsChannel) { notifications in
            let seats = listening.withLock { state in
                state.backend = backend
                return state.seats
            }
            try await connection.query(
                """
                DELETE FROM seat WHERE NOT EXISTS (
                    SELECT 1 FROM pg_stat_activity activity
                    WHERE activity.pid = seat.backend_pid AND activity.backend_start = seat.backend_start)
                """, logger: logger)
            for seat in seats {
                try await Self.insertSeat(seat.name, in: seat.id, backend: backend, on: client, logger: logger)
            }
            // Whatever was committed while no one listened is read now.
            changed(.anything)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        try await Task.sleep(for: Self.sweep)
                        changed(.anything)
                    }
                }
                group.addTask {
                    for try await notification in notifications {
                        if let change = Self.change(notification.payload) { changed(change) }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    static func change(_ payload: String) -> SessionChange? {
        let parts = payload.split(separator: " ")
        guard parts.count == 2, let id = SessionID(rawValue: String(parts[0])) else { return nil }
        return parts[1] == "seats" ? .seats(id) : .turns(id)
    }

    /// The backend seats are recorded under, waiting a little for the listening connection to come up.
    func listeningBackend() throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let (backend, watching) = listening.withLock { ($0.backend, $0.task != nil) }
            if let backend { return backend }
            guard watching else {
                throw StoreError.io("seats in shared sessions need the server's listening connection to \(url).")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw StoreError.io("cannot listen for other instances on \(url); the seat was not taken. Try again.")
    }
}
