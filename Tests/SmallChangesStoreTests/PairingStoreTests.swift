import Foundation
import SmallChangesCore
import SmallChangesPostgres
import SmallChangesStore
import Testing

/// The pairing stores under test: the in-memory one a single instance uses, and PostgreSQL when it can run.
enum PairingKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, postgres

    var testDescription: String { rawValue }

    static let available: [PairingKind] = TestDatabase.url == nil ? [.memory] : allCases

    /// The pairing store, and a session store holding a session to invite to.
    func make() throws -> (any PairingStore, SessionID) {
        let record = Sample.record()
        switch self {
        case .memory:
            return (InMemoryPairingStore(), record.id)
        case .postgres:
            let store = try PostgresSessionStore(url: TestDatabase.freshSchema())
            try store.create(record)
            return (store, record.id)
        }
    }
}

@Suite("Pairing stores")
struct PairingStoreTests {
    @Test(arguments: PairingKind.available)
    func aCodeIsClaimedOnceForItsNameAndNotAfterItExpires(kind: PairingKind) throws {
        let (pairing, id) = try kind.make()
        let now = Sample.start
        #expect(try pairing.invite(code: "K7M2QX9P", to: id, name: "Ben", expires: now.addingTimeInterval(600)))
        #expect(try !pairing.invite(code: "K7M2QX9P", to: id, name: "Cai", expires: now.addingTimeInterval(600)))
        #expect(try pairing.invited(to: id, now: now) == ["Ben"])

        #expect(try pairing.claim(code: "K7M2QX9P", name: "Cai", now: now) == .otherName)
        let invitation = Invitation(sessionId: id, name: "Ben", expires: now.addingTimeInterval(600))
        #expect(try pairing.claim(code: "K7M2QX9P", name: "ben", now: now) == .claimed(invitation))
        #expect(try pairing.claim(code: "K7M2QX9P", name: nil, now: now) == .refused)
        #expect(try pairing.invited(to: id, now: now).isEmpty)

        #expect(try pairing.invite(code: "AAAABBBB", to: id, name: "Ben", expires: now.addingTimeInterval(600)))
        #expect(try pairing.claim(code: "AAAABBBB", name: nil, now: now.addingTimeInterval(601)) == .refused)
        #expect(try pairing.claim(code: "ZZZZZZZZ", name: nil, now: now) == .refused)
    }

    /// Issue 17: a code minted on one instance is claimed on any, and only once when two claim it at once.
    @Test(.enabled(if: TestDatabase.url != nil, TestDatabase.skipped))
    func twoInstancesClaimingOneCodeAtOnceClaimItOnce() throws {
        let url = try TestDatabase.freshSchema()
        let instances = [try PostgresSessionStore(url: url), try PostgresSessionStore(url: url)]
        defer { for store in instances { store.close() } }
        let record = Sample.record()
        try instances[0].create(record)
        let now = Date()
        #expect(try instances[0].invite(code: "K7M2QX9P", to: record.id, name: "Ben", expires: now + 600))
        let outcomes = Failures()
        let group = DispatchGroup()
        for store in instances + instances + instances + instances {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    if case .claimed = try store.claim(code: "K7M2QX9P", name: nil, now: now) {
                        outcomes.add("claimed")
                    }
                } catch {
                    outcomes.add("\(error)")
                }
            }
        }
        group.wait()
        #expect(outcomes.all == ["claimed"])
    }
}
