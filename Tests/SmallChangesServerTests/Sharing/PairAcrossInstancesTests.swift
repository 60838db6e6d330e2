import Foundation
import SmallChangesCore
import SmallChangesPostgres
import SmallChangesStore
import Testing

/// Issue 17's checks for pairs: two server instances over one PostgreSQL database.
@Suite(
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["SMALLCHANGES_TEST_DATABASE_URL"] != nil,
        "SMALLCHANGES_TEST_DATABASE_URL is unset: the pair tests across instances are skipped"))
struct PairAcrossInstancesTests {
    /// Two instances, each with its own store over one fresh schema.
    static func instances() async throws -> (SharingServer, SharingServer, PostgresSessionStore) {
        let text = try #require(ProcessInfo.processInfo.environment["SMALLCHANGES_TEST_DATABASE_URL"])
        let url = try DatabaseURL(text).withFreshSchema()
        let first = try PostgresSessionStore(url: url)
        let second = try PostgresSessionStore(url: url)
        return (
            try await SharingServer.start(store: first), try await SharingServer.start(store: second), first
        )
    }

    @Test func aPairStartedOnOneInstanceAndJoinedOnAnotherHearEachOthersTurnsLive() async throws {
        let (one, two, store) = try await Self.instances()
        try await SharedSessionTests.playPair(starting: one, joining: two, store: store)
        await one.stop()
        await two.stop()
    }

    @Test func aPartnerWhoseConnectionDroppedRejoinsOnTheOtherInstanceAndCarriesOn() async throws {
        let (one, two, store) = try await Self.instances()
        let (ana, sessionId, code) = try await one.startPair()
        let ben = try await JSONLineClient.connect(to: one.port)
        _ = try await ben.result("session/join", ["code": code])
        #expect(try await ana.nextNotification()?["method"] as? String == "session/joined")
        await ben.close()
        let left = try #require(await ana.nextNotification())
        #expect(left["method"] as? String == "session/left")
        let said = try #require(left["params"] as? [String: Any])
        #expect(said["present"] as? Bool == false)
        #expect((said["message"] as? String)?.contains("Ben has left") == true)

        // Ana, still seated, mints a new code; Ben comes back through the other instance.
        let shared = try await ana.result("session/share", ["sessionId": sessionId])
        #expect(shared["name"] as? String == "Ben")
        let newCode = try #require(shared["joinCode"] as? String)
        let back = try await JSONLineClient.connect(to: two.port)
        let rejoined = try await back.result("session/join", ["code": newCode])
        #expect(rejoined["name"] as? String == "Ben")
        let joinedAgain = try await ana.nextNotification(within: 10)
        #expect(joinedAgain?["method"] as? String == "session/joined")

        // Ana answers her question on her instance; Ben hears it on his.
        let answer = try await ana.result(
            "session/answer", ["sessionId": sessionId, "text": "every family should feel listened to"])
        #expect(answer["accepted"] as? Bool == true)
        let heard = try await back.nextNotification(within: 10)
        #expect(heard?["method"] as? String == "session/turn")
        #expect((heard?["params"] as? [String: Any])?["speaker"] as? String == "Ana")
        let id = try #require(SessionID(rawValue: sessionId))
        #expect(try store.turnCount(id) == 1)
        // Ben cannot take Ana's turn with `who` from the other instance while she is there.
        let taken = try await back.call("session/command", ["sessionId": sessionId, "name": "who", "argument": "Ben"])
        if let answering = answer["answering"] as? [String], answering == ["Ana"] {
            #expect(errorCode(taken) == -32012)
        }
        await ana.close()
        await back.close()
        await one.stop()
        await two.stop()
    }
}
