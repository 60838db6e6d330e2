import SmallChangesCore
import Synchronization

/// The conversations held in memory, each with a queue that runs its requests one at a time in the
/// order they arrived, while different sessions run in parallel.
///
/// A request is queued synchronously by the connection's read loop, so arrival order is fixed
/// before any job runs; the queue is drained by one runner at a time, started on demand (see `Runner`), so an
/// idle session costs a dictionary entry and its conversation, and a request no task of its own. Sessions beyond the
/// in-memory limit are dropped when idle: they stay in the store and are loaded again on next use.
///
/// Sessions are spread over shards by id, each with its own lock and table: every request takes the
/// lock a few times, and with one lock for all, the event loops (one per core) queue for it and pass
/// its memory back and forth. The in-memory limit applies to each shard's share.
final class SessionRegistry: Sendable {
    /// A unit of work for one session; it reads and replaces the conversation through the registry.
    typealias Job = @Sendable () -> Void

    /// One session's queue and state; a class, so reading or changing it under the lock copies nothing.
    /// Only touched with the registry's lock held, which is what makes the unchecked `Sendable` sound.
    private final class Lane: @unchecked Sendable {
        var jobs: [Job] = []
        var running = false
        var session: LiveSession?
        var lastUsed: UInt64 = 0
    }

    private struct State {
        var lanes: [SessionID: Lane] = [:]
        var clock: UInt64 = 0
    }

    /// One shard's lock and table, padded so two shards never share a cache line.
    private final class Shard: Sendable {
        let state = Mutex(State())
        private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    private static let shardCount = 16
    private let shards: [Shard]
    private let maximumQueued: Int
    /// The in-memory limit of each shard.
    private let maximumLive: Int

    init(maximumQueuedPerSession: Int, maximumLiveSessions: Int) {
        self.maximumQueued = maximumQueuedPerSession
        self.maximumLive = max(1, maximumLiveSessions / Self.shardCount)
        shards = (0..<Self.shardCount).map { _ in Shard() }
    }

    /// The shard of a session: ids end in random characters, so their last two spread sessions evenly.
    private func shard(_ id: SessionID) -> Shard {
        var key = 0
        for byte in id.rawValue.utf8.suffix(2) { key = key &* 31 &+ Int(byte) }
        return shards[key & (Self.shardCount - 1)]
    }

    /// Queues a job behind the session's earlier ones; returns false when the session is busy.
    ///
    /// - Parameter runner: where the session's queue is drained when it starts now.
    func enqueue(_ id: SessionID, on runner: Runner, _ job: @escaping Job) -> Bool {
        let queued = shard(id).state.withLock { state in
            state.clock &+= 1
            let lane: Lane
            if let existing = state.lanes[id] {
                lane = existing
            } else {
                lane = Lane()
                state.lanes[id] = lane
            }
            return Self.queue(job, in: lane, clock: state.clock, limit: maximumQueued)
        }
        switch queued {
        case .refused:
            return false
        case .behindOthers:
            return true
        case .first(let lane):
            runner.run { self.drain(id, lane) }
            return true
        }
    }

    /// What queuing a job did.
    private enum Queued {
        /// The session's queue is full.
        case refused
        /// The session's queue is already being drained and will reach this one.
        case behindOthers
        /// The queue was idle: it must be drained.
        case first(Lane)
    }

    private static func queue(_ job: @escaping Job, in lane: Lane, clock: UInt64, limit: Int) -> Queued {
        guard lane.jobs.count < limit else { return .refused }
        lane.jobs.append(job)
        lane.lastUsed = clock
        guard !lane.running else { return .behindOthers }
        lane.running = true
        return .first(lane)
    }

    /// The session, if it is in memory. Call only from one of the session's jobs.
    func session(_ id: SessionID) -> LiveSession? {
        shard(id).state.withLock { $0.lanes[id]?.session }
    }

    /// Replaces the session; `nil` drops it from memory. Call only from one of its jobs.
    func setSession(_ session: LiveSession?, for id: SessionID) {
        shard(id).state.withLock { state in
            state.lanes[id]?.session = session
        }
    }

    /// How many sessions are in memory.
    var count: Int { shards.reduce(0) { total, shard in total + shard.state.withLock { $0.lanes.count } } }

    /// Runs the lane's jobs until it is empty. A running lane stays in `lanes` (eviction skips it), so the
    /// drain holds it directly instead of looking it up for every job.
    private func drain(_ id: SessionID, _ lane: Lane) {
        let shard = shard(id)
        while let job = nextJob(id, lane, in: shard) {
            job()
        }
    }

    private func nextJob(_ id: SessionID, _ lane: Lane, in shard: Shard) -> Job? {
        shard.state.withLock { state in
            if lane.jobs.isEmpty {
                lane.running = false
                if lane.session == nil {
                    state.lanes[id] = nil
                } else if state.lanes.count > maximumLive {
                    Self.evictIdle(&state, keeping: maximumLive)
                }
                return nil
            }
            return lane.jobs.removeFirst()
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
