import Foundation
import SmallChangesCore
import SmallChangesPostgres
import SmallChangesStore
import Synchronization
import Testing

@Suite("PostgreSQL store", .enabled(if: TestDatabase.url != nil, TestDatabase.skipped))
struct PostgresStoreTests {
    /// Issue 17's check: many clients of two instances answering one session leave a log with no gap and no repeat.
    @Test func twoInstancesAppendingToOneSessionLeaveNoGapAndNoDuplicate() throws {
        let url = try TestDatabase.freshSchema()
        let instances = [try PostgresSessionStore(url: url), try PostgresSessionStore(url: url)]
        defer { for store in instances { store.close() } }
        let record = Sample.record()
        try instances[0].create(record)
        let clients = 200
        let threads = 20
        let failures = Failures()
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let store = instances[thread % 2]
                for n in stride(from: thread, to: clients, by: threads) {
                    do {
                        try store.append(Sample.turn("client \(n)", second: n), to: record.id, record: record)
                    } catch {
                        failures.add("client \(n): \(error)")
                    }
                }
            }
        }
        group.wait()
        #expect(failures.all.isEmpty)
        let texts = try instances[1].load(record.id).turns.map(\.text)
        #expect(texts.count == clients)
        #expect(Set(texts) == Set((0..<clients).map { "client \($0)" }))
        #expect(try instances[0].turnCount(record.id) == clients)
    }

    /// Issue 17's check: a retried answer with the same client message id, sent to two instances at once, adds
    /// one turn.
    @Test func aRetryReachingTwoInstancesAtOnceIsStoredOnce() throws {
        let url = try TestDatabase.freshSchema()
        let instances = [try PostgresSessionStore(url: url), try PostgresSessionStore(url: url)]
        defer { for store in instances { store.close() } }
        let record = Sample.record()
        try instances[0].create(record)
        let outcomes = Failures()
        let group = DispatchGroup()
        for store in instances + instances {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    try store.append(
                        [Sample.turn("retried", second: 1)], to: record.id, record: record, after: 0, key: "m-7")
                    outcomes.add("stored")
                } catch {
                    outcomes.add("\(error)")
                }
            }
        }
        group.wait()
        #expect(outcomes.all.filter { $0 == "stored" }.count == 1)
        #expect(try instances[1].load(record.id).turns.map(\.text) == ["retried"])
        #expect(try instances[1].sequence(ofKey: "m-7", in: record.id) == 1)
    }

    /// A delete leaves no copy of the session's text in the database's table files. (The write-ahead log keeps
    /// one until its segment is recycled; docs/DEPLOY.md says so.)
    @Test(.enabled(if: TestDatabase.dataDirectory != nil, "SMALLCHANGES_TEST_PGDATA is unset: cannot read the files"))
    func noTableFileKeepsTheTextOfADeletedSession() throws {
        let base = try #require(TestDatabase.dataDirectory).appendingPathComponent("base")
        let store = try PostgresSessionStore(url: TestDatabase.freshSchema())
        defer { store.close() }
        let canary = "CANARY-\(UUID().uuidString)"
        let (kept, doomed) = try DeletionTests.storeSessions(marked: canary, in: store)
        try store.execute("CHECKPOINT")
        let before = try DeletionTests.occurrences(of: canary, under: base).values.reduce(0, +)
        #expect(before > 0, "the phrase should be in the table files before deleting")

        try store.delete(doomed.id)
        try store.execute("CHECKPOINT")

        let after = try DeletionTests.occurrences(of: canary, under: base).filter { $0.value > 0 }
        #expect(after.isEmpty, "the phrase survives in \(after)")
        #expect(try store.load(kept.id).turns.count == 60)
    }
}

/// What threads of a test report, gathered under a lock.
final class Failures: Sendable {
    private let items = Mutex<[String]>([])

    func add(_ item: String) { items.withLock { $0.append(item) } }

    var all: [String] { items.withLock { $0 } }
}
