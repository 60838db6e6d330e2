import Foundation
import SmallChangesCore
import SmallChangesStore
import Synchronization

/// An in-memory store whose commits of turns wait while it is closed: a test closes it to hold a request
/// inside the store, so what queues behind that request is certain, not a matter of timing.
final class GatedStore: SessionStore {
    private let inner = InMemorySessionStore()
    private let isClosed = Mutex(false)
    private let condition = NSCondition()

    func close() { setClosed(true) }

    func open() { setClosed(false) }

    private func setClosed(_ closed: Bool) {
        condition.lock()
        isClosed.withLock { $0 = closed }
        condition.broadcast()
        condition.unlock()
    }

    private func waitUntilOpen() {
        condition.lock()
        while isClosed.withLock({ $0 }) { condition.wait() }
        condition.unlock()
    }

    func create(_ record: SessionRecord) throws { try inner.create(record) }

    func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws {
        waitUntilOpen()
        try inner.append(turn, to: id, record: record)
    }

    func update(_ record: SessionRecord) throws {
        waitUntilOpen()
        try inner.update(record)
    }

    func load(_ id: SessionID) throws -> StoredSession { try inner.load(id) }
    func records() throws -> [SessionRecord] { try inner.records() }
    func latest() throws -> SessionRecord? { try inner.latest() }
    func delete(_ id: SessionID) throws { try inner.delete(id) }
    func lookup(prefix: String) throws -> SessionID { try inner.lookup(prefix: prefix) }
}
