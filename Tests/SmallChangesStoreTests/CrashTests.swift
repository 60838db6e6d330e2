import Foundation
import SmallChangesCore
import SmallChangesStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 4's acceptance check: every answer acknowledged before a crash is there after it.
@Suite("Crashes", .serialized)
struct CrashTests {
    static let rounds = 24

    /// The seed for the kill schedule: `STORE_CRASH_SEED` replays a failing run.
    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["STORE_CRASH_SEED"], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 1...UInt64.max)
    }()

    @Test func everyAcknowledgedAnswerSurvivesAKillMidWrite() throws {
        print("crash test seed: \(Self.seed) (replay with STORE_CRASH_SEED=\(Self.seed))")
        var random = SeededGenerator(seed: Self.seed)
        let writer = try CrashWriter.locate()
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        var acknowledged = 0
        var inFlight = 0

        for round in 1...Self.rounds {
            let run = try writer.start(folder: folder.url, count: 10_000)
            // Mostly kill after some acks; sometimes kill blind, possibly before the store is even open.
            let acks = round % 4 == 0 ? 0 : Int.random(in: 1...30, using: &random)
            let delay = UInt32.random(in: 0...(acks == 0 ? 60_000 : 3_000), using: &random)
            run.awaitAcks(acks)
            usleep(delay)
            run.kill()
            #expect(
                run.process.terminationReason == .uncaughtSignal,
                "round \(round): the writer stopped on its own: \(run.errorOutput)")
            acknowledged = max(acknowledged, run.lastAck)

            let store = try SQLiteSessionStore(folder: folder)
            let texts = try store.latest().map { try store.load($0.id).turns.map(\.text) } ?? []
            let context = "round \(round), seed \(Self.seed): \(texts.count) turns, \(acknowledged) acknowledged"
            #expect(texts.count >= acknowledged, "lost acknowledged answers — \(context)")
            #expect(texts.count <= acknowledged + 1, "more than the one unacknowledged answer in flight — \(context)")
            #expect(
                texts == (0..<texts.count).map { "answer-\($0 + 1)" }, "answers missing or out of order — \(context)")
            #expect(try store.problems().isEmpty, "integrity — \(context)")
            try store.close()
            if texts.count > acknowledged { inFlight += 1 }
            acknowledged = texts.count
        }
        print(
            "crash test: \(Self.rounds) kills, \(acknowledged) answers kept, "
                + "\(inFlight) kills left one unacknowledged answer committed"
        )
        #expect(acknowledged > Self.rounds, "the writers barely wrote anything; the test proves little")
    }
}
