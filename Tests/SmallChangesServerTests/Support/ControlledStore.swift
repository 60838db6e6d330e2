import Foundation
import SmallChangesCore
import SmallChangesStore
import Synchronization

/// An in-memory store whose commits of turns a test controls: while it is closed they wait (to hold a request
/// inside the store, so what queues behind it is certain, not a matter of timing); while it is failing they
/// throw, as a full disk would.
final class ControlledStore: SessionStore {
    let inner = InMemorySessionStore()
    private let isClosed = Mutex(false)
    private let isFailing = Mutex(false)
    private let isFull = Mutex(false)
    private let condition = NSCondition()
    /// Commits waiting now, and the most that ever waited at once.
    private let waiting = Mutex((now: 0, most: 0))

    /// Makes commits of turns fail (or succeed again); `full` says the disk is full, as SQLite would.
    func fail(_ failing: Bool, full: Bool = false) {
        isFailing.withLock { $0 = failing }
        isFull.withLock { $0 = full }
    }

    /// The most commits that were ever held at once.
    var mostWaiting: Int { waiting.withLock { $0.most } }

    func close() { setClosed(true) }

    func open() { setClosed(false) }

    private func setClosed(_ closed: Bool) {
        condition.lock()
        isClosed.withLock { $0 = closed }
        condition.broadcast()
        condition.unlock()
    }

    private func waitUntilOpen() throws {
        waiting.withLock { count in
            count.now += 1
            count.most = max(count.most, count.now)
        }
        condition.lock()
        while isClosed.withLock({ $0 }) { condition.wait() }
        condition.unlock()
        waiting.withLock { $0.now -= 1 }
        if isFailing.withLock({ $0 }) {
            throw isFull.withLock { $0 }
                ? StoreError.diskFull(path: "sessions.sqlite") : StoreError.io("a write failed")
        }
    }

    func create(_ record: SessionRecord) throws { try inner.create(record) }

    func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws {
        try waitUntilOpen()
        try inner.append(turn, to: id, record: record)
    }

    func update(_ record: SessionRecord) throws {
        try waitUntilOpen()
        try inner.update(record)
    }

    func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int, key: String?) throws {
        try waitUntilOpen()
        try inner.append(turns, to: id, record: record, after: expected, key: key)
    }

    func sequence(ofKey key: String, in id: SessionID) throws -> Int? { try inner.sequence(ofKey: key, in: id) }
    func load(_ id: SessionID) throws -> StoredSession { try inner.load(id) }
    func records() throws -> [SessionRecord] { try inner.records() }
    func latest() throws -> SessionRecord? { try inner.latest() }
    func delete(_ id: SessionID) throws { try inner.delete(id) }
    func lookup(prefix: String) throws -> SessionID { try inner.lookup(prefix: prefix) }
}
