import SmallChangesCore
import Synchronization

/// The conversations held in memory, each with a queue that runs its requests one at a time in the
/// order they arrived, while different sessions run in parallel.
///
/// A request is queued synchronously by the connection's read loop, so arrival order is fixed
/// before any job runs; the queue is drained by one runner at a time, started on demand (see `Runner`), so an
/// idle session costs a dictionary entry and its conversation, and a request no task of its own. Sessions beyond the
/// in-memory limit are dropped when idle: they stay in the store and are loaded again on next use. One lock guards
/// every queue; a job runs outside it.
final class SessionRegistry: Sendable {
    /// A unit of work for one session; it reads and replaces the conversation through the registry.
    typealias Job = @Sendable () -> Void

    /// One session's queue and state.
    private struct Lane {
        var jobs: [Job] = []
        var running = false
        var session: LiveSession?
        var lastUsed: UInt64 = 0
    }

    private struct State {
        var lanes: [SessionID: Lane] = [:]
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    private let maximumQueued: Int
    private let maximumLive: Int

    init(maximumQueuedPerSession: Int, maximumLiveSessions: Int) {
        self.maximumQueued = maximumQueuedPerSession
        self.maximumLive = max(1, maximumLiveSessions)
    }

    /// Queues a job behind the session's earlier ones; returns false when the session is busy.
    ///
    /// - Parameter runner: where the session's queue is drained when it starts now.
    func enqueue(_ id: SessionID, on runner: Runner, _ job: @escaping Job) -> Bool {
        let queued = state.withLock { state -> Bool? in
            state.clock &+= 1
            let clock = state.clock
            return Self.queue(job, in: &state.lanes[id, default: Lane()], clock: clock, limit: maximumQueued)
        }
        guard let first = queued else { return false }
        if first { runner.run { self.drain(id) } }
        return true
    }

    /// Appends the job; `nil` when the queue is full, true when it was idle and must be drained.
    private static func queue(_ job: @escaping Job, in lane: inout Lane, clock: UInt64, limit: Int) -> Bool? {
        guard lane.jobs.count < limit else { return nil }
        lane.jobs.append(job)
        lane.lastUsed = clock
        guard !lane.running else { return false }
        lane.running = true
        return true
    }

    /// The session, if it is in memory. Call only from one of the session's jobs.
    func session(_ id: SessionID) -> LiveSession? {
        state.withLock { $0.lanes[id]?.session }
    }

    /// Replaces the session; `nil` drops it from memory. Call only from one of its jobs.
    func setSession(_ session: LiveSession?, for id: SessionID) {
        state.withLock { state in
            state.lanes[id]?.session = session
        }
    }

    /// How many sessions are in memory.
    var count: Int { state.withLock { $0.lanes.count } }

    /// Runs the session's jobs until its queue is empty. A running lane stays in `lanes` (eviction skips it).
    private func drain(_ id: SessionID) {
        while let job = nextJob(id) {
            job()
        }
    }

    private func nextJob(_ id: SessionID) -> Job? {
        state.withLock { state in
            guard var lane = state.lanes[id] else { return nil }
            guard lane.jobs.isEmpty else { return state.lanes[id]?.jobs.removeFirst() }
            lane.running = false
            if lane.session == nil {
                state.lanes[id] = nil
            } else {
                state.lanes[id] = lane
                if state.lanes.count > maximumLive { Self.evictIdle(&state, keeping: maximumLive) }
            }
            return nil
        }
    }

    /// Drops the least recently used idle sessions from memory until at most `keeping` remain.
    private static func evictIdle(_ state: inout State, keeping: Int) {
        let excess = state.lanes.count - keeping
        guard excess > 0 else { return }
        var idle: [(lastUsed: UInt64, id: SessionID)] = []
        idle.reserveCapacity(state.lanes.count)
        for (id, lane) in state.lanes where !lane.running {
            idle.append((lane.lastUsed, id))
        }
        idle.sort { $0.lastUsed < $1.lastUsed }
        // Evict a little more than needed so the scan does not run on every request.
        for entry in idle.prefix(excess + keeping / 10) { state.lanes[entry.id] = nil }
    }
}
