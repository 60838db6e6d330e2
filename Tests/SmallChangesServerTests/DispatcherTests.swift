import Foundation
import Logging
import NIOCore
import SmallChangesCore
import SmallChangesStore
import SmallChangesTesting
import Testing

@testable import SmallChangesServer

@Suite struct DispatcherTests {
    static let answers = ScriptedAnswers.reflect

    /// Plays the answers; confirms when asked, skips a question the answers do not fit.
    static func play(_ client: DirectClient, sessionId: String, answers: [String]) async -> [String: Any] {
        var remaining = answers[...]
        var last: [String: Any] = [:]
        for _ in 0..<40 {
            if last["finished"] as? Bool == true { break }
            if last["needsConfirm"] as? Bool == true {
                last = await client.result("session/answer", ["sessionId": sessionId, "text": "yes"])
            } else if let answer = remaining.popFirst() {
                last = await client.result("session/answer", ["sessionId": sessionId, "text": answer])
            } else {
                last = await client.result("session/command", ["sessionId": sessionId, "name": "skip"])
            }
        }
        return last
    }

    /// A result as JSON text with sorted keys, so two can be compared and a difference read.
    static func text(_ result: Any) -> String {
        let data = try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    @Test func aRetriedAnswerWithTheSameClientMessageIdGetsTheFirstResultAndAddsNoTurn() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let id = try #require(started["sessionId"] as? String)
        let answer = ["sessionId": id, "text": Self.answers[0], "clientMsgId": "m-1"]
        let first = await client.result("session/answer", answer)
        let again = await client.result("session/answer", answer)
        #expect(Self.text(again) == Self.text(first))
        let other = await client.result(
            "session/answer", ["sessionId": id, "text": Self.answers[1], "clientMsgId": "m-2"])
        #expect(other["accepted"] as? Bool == true)
        // A retry of the first, after the second, still gets the first's result and changes nothing.
        let late = await client.result("session/answer", answer)
        #expect(Self.text(late) == Self.text(first))
        let session = try #require(SessionID(rawValue: id))
        #expect(try harness.store.load(session).turns.map(\.text) == Array(Self.answers[0...1]))
    }

    @Test func anAnswerToAQuestionTheSessionHasLeftIsRefusedAndNotFiled() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let id = try #require(started["sessionId"] as? String)
        let first = try #require((started["prompt"] as? [String: Any])?["id"] as? String)
        let taken = await client.result(
            "session/answer", ["sessionId": id, "text": Self.answers[0], "promptId": first])
        #expect(taken["accepted"] as? Bool == true)
        // Another client answered the first question already: this one's words were meant for it.
        let late = await client.call("session/answer", ["sessionId": id, "text": Self.answers[1], "promptId": first])
        #expect(errorCode(late) == -32014)
        let session = try #require(SessionID(rawValue: id))
        #expect(try harness.store.load(session).turns.map(\.text) == [Self.answers[0]])
    }

    @Test func resumingSinceATurnNumberGivesEveryTurnAfterItWithItsResult() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let id = try #require(started["sessionId"] as? String)
        var results: [[String: Any]] = []
        for answer in Self.answers[0...2] {
            results.append(await client.result("session/answer", ["sessionId": id, "text": answer]))
        }
        let resumed = await client.result("session/resume", ["sessionId": id, "since": 1])
        let turns = try #require(resumed["turns"] as? [[String: Any]])
        #expect(turns.map { $0["turn"] as? Int } == [2, 3])
        #expect(turns.map { $0["text"] as? String } == Array(Self.answers[1...2]))
        #expect(
            turns.map { Self.text($0["messages"] as? [Any] ?? []) }
                == results[1...].map {
                    Self.text($0["messages"] as? [Any] ?? [])
                })
    }

    @Test func idleSessionsBeyondTheLimitLeaveMemoryAndComeBackFromTheStore() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumLiveSessions = 16
        let harness = ProtocolHarness(configuration: configuration)
        let client = DirectClient(dispatcher: harness.dispatcher)
        var sessions: [(id: String, plan: [String: Any])] = []
        for _ in 0..<80 {
            let started = await client.result("session/start", ["flow": "reflect"])
            let id = try #require(started["sessionId"] as? String)
            _ = await client.result("session/answer", ["sessionId": id, "text": Self.answers[0]])
            let plan = await client.result("plan/get", ["sessionId": id])
            #expect(((plan["plan"] as? [String: Any])?["barriers"] as? [Any])?.count == 1)
            sessions.append((id, plan))
        }
        // Eviction runs as a session's queue empties; each of the 16 shards keeps at most its share, one, plus
        // the few it keeps while it scans.
        #expect(harness.dispatcher.liveSessions < 80)
        #expect(harness.dispatcher.liveSessions <= 16 * 2)
        // Every session still answers, replayed from the store where it left memory, with the same plan.
        for session in sessions {
            let plan = await client.result("plan/get", ["sessionId": session.id])
            #expect(NSDictionary(dictionary: plan).isEqual(to: session.plan), "\(session.id)")
            let next = await client.result("session/answer", ["sessionId": session.id, "text": Self.answers[1]])
            #expect(next["accepted"] as? Bool == true)
        }
    }

    @Test func aWholeSessionRunsThroughTheDispatcherAndIsStored() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        let flows = await client.result("flows/list")
        #expect((flows["flows"] as? [[String: Any]])?.contains { $0["id"] as? String == "reflect" } == true)

        let started = await client.result("session/start", ["flow": "reflect"])
        let sessionId = try #require(started["sessionId"] as? String)
        let prompt = try #require(started["prompt"] as? [String: Any])
        for key in ["id", "text", "expects", "type", "step", "of", "stage", "source"] {
            #expect(prompt[key] != nil, "prompt lacks \(key)")
        }

        let first = await client.result("session/answer", ["sessionId": sessionId, "text": Self.answers[0]])
        #expect(first["accepted"] as? Bool == true)
        let routed = try #require(first["routed"] as? [String: Any])
        #expect(routed["intent"] != nil && routed["confidence"] != nil && routed["alternatives"] != nil)

        let last = await Self.play(client, sessionId: sessionId, answers: Array(Self.answers.dropFirst()))
        #expect(last["finished"] as? Bool == true)

        let plan = await client.result("plan/get", ["sessionId": sessionId])
        #expect((plan["plan"] as? [String: Any])?["barriers"] != nil)
        let check = await client.result("plan/check", ["sessionId": sessionId])
        let gaps = try #require(check["gaps"] as? [Any])
        #expect(check["ready"] as? Bool == gaps.isEmpty)
        for format in ["markdown", "json", "html"] {
            let export = await client.result("plan/export", ["sessionId": sessionId, "format": format])
            #expect((export["content"] as? String)?.isEmpty == false)
        }

        let id = try #require(SessionID(rawValue: sessionId))
        let stored = try harness.store.load(id)
        #expect(stored.turns.filter { $0.kind == .answer }.count >= Self.answers.count)

        // Dropped from memory, the session is rebuilt from the store with the same plan.
        #expect((await client.result("session/close", ["sessionId": sessionId]))["closed"] as? Bool == true)
        let resumed = await client.result("session/resume", ["sessionId": sessionId])
        #expect((resumed["summary"] as? [String])?.isEmpty == false)
        let replanned = await client.result("plan/get", ["sessionId": sessionId])
        #expect(NSDictionary(dictionary: replanned) == NSDictionary(dictionary: plan))

        let listed = await client.result("session/list")
        #expect((listed["sessions"] as? [[String: Any]])?.first?["id"] as? String == sessionId)
    }

    @Test func anAnswerTheMatcherCannotPlaceIsANormalResult() async throws {
        let client = DirectClient(dispatcher: ProtocolHarness().dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let sessionId = try #require(started["sessionId"] as? String)
        let reply = await client.call("session/answer", ["sessionId": sessionId, "text": "   "])
        #expect(reply["error"] == nil)
        #expect((reply["result"] as? [String: Any])?["accepted"] as? Bool == false)
        #expect((reply["result"] as? [String: Any])?["prompt"] != nil)
    }

    @Test func domainErrorsBecomeDocumentedCodesWithoutTheClientsText() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumTextLength = 100
        let client = DirectClient(dispatcher: ProtocolHarness(configuration: configuration).dispatcher)
        #expect(errorCode(await client.call("session/answer", ["sessionId": "s-222222222222", "text": "x"])) == -32010)
        #expect(errorCode(await client.call("session/answer", ["sessionId": "../etc/passwd", "text": "x"])) == -32602)
        #expect(errorCode(await client.call("session/start", ["flow": "CANARY-flow"])) == -32602)
        #expect(errorCode(await client.call("session/start", ["flow": 3])) == -32602)
        let started = await client.result("session/start", ["flow": "reflect"])
        let sessionId = try #require(started["sessionId"] as? String)
        let long = await client.call(
            "session/answer", ["sessionId": sessionId, "text": "CANARY-" + String(repeating: "x", count: 200)])
        #expect(errorCode(long) == -32003)
        let unknown = await client.call("session/command", ["sessionId": sessionId, "name": "CANARY-command"])
        #expect(errorCode(unknown) == -32602)
        for reply in [long, unknown] {
            let data = try JSONSerialization.data(withJSONObject: reply)
            #expect(!String(decoding: data, as: UTF8.self).contains("CANARY"))
        }
    }

    @Test func startAndCommandRefuseWhatCannotWorkNamingTheField() async throws {
        let client = DirectClient(
            dispatcher: Dispatcher(
                guide: TestGuide.withPair, store: InMemorySessionStore(), logger: Logger(label: "test")))
        for participants in [[String](), ["Ana"], ["Ana", "Ben", "Cy"]] {
            let pair = await client.call("session/start", ["flow": "pair", "participants": participants])
            #expect(errorCode(pair) == -32602)
            let message = (pair["error"] as? [String: Any])?["message"] as? String
            #expect(message?.hasPrefix("params.participants") == true, "\(participants.count) names")
        }
        let two = await client.call("session/start", ["flow": "pair", "participants": ["Ana", "Ben"]])
        #expect((two["result"] as? [String: Any])?["sessionId"] != nil)
        let sessionId = try #require(
            (await client.result("session/start", ["flow": "reflect"]))["sessionId"] as? String)
        let who = await client.call("session/command", ["sessionId": sessionId, "name": "who"])
        #expect(errorCode(who) == -32602)
        #expect(((who["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("params.argument") == true)
        // On stdio no partner could join: sharing is refused there.
        let lines = [
            ProtocolHarness.initialize,
            requestLine(1, "session/start", ["flow": "reflect", "participants": ["Ana", "Ben"], "share": true]),
        ]
        let (responses, _) = await ProtocolHarness().run(lines, face: .stdio)
        #expect(errorCode(response(responses, id: 1)) == -32600)
    }

    @Test func theServerMintsSessionIDsAndIgnoresOnesTheClientSends() async throws {
        let client = DirectClient(dispatcher: ProtocolHarness().dispatcher)
        let started = await client.result("session/start", ["flow": "reflect", "sessionId": "s-222222222222"])
        let sessionId = try #require(started["sessionId"] as? String)
        #expect(sessionId != "s-222222222222")
        #expect(SessionID(rawValue: sessionId) != nil)
    }

    @Test func requestsForOneSessionRunInArrivalOrder() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        let started = await client.result("session/start", ["flow": "reflect"])
        let sessionId = try #require(started["sessionId"] as? String)
        let texts = (1...8).map { "answer number \($0) about having no time" }
        let lines =
            [ProtocolHarness.initialize]
            + texts.enumerated().map {
                requestLine($0.offset + 1, "session/answer", ["sessionId": sessionId, "text": $0.element])
            }
        let (responses, _) = await harness.run(lines)
        #expect(responses.count == 9)
        let stored = try harness.store.load(try #require(SessionID(rawValue: sessionId)))
        let answered = stored.turns.filter { $0.kind == .answer }.map(\.text)
        #expect(answered == texts.filter { answered.contains($0) })
        #expect(answered.count == texts.count)
    }

    @Test func aSessionWithTooManyQueuedRequestsIsBusy() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumQueuedPerSession = 2
        // The store holds the first answer's commit until the test lets it go, so the rest queue behind it.
        let store = ControlledStore()
        let dispatcher = Dispatcher(
            guide: TestGuide.shared, store: store, configuration: configuration, logger: Logger(label: "test"))
        let client = DirectClient(dispatcher: dispatcher)
        let sessionId = try #require(
            (await client.result("session/start", ["flow": "reflect"]))["sessionId"] as? String)
        store.close()
        let parser = MessageParser(maximumDepth: 64)
        let replies = Collected()
        let (answered, done) = AsyncStream<Void>.makeStream()
        for id in 1...10 {
            let line = requestLine(id, "session/answer", ["sessionId": sessionId, "text": "answer \(id)"])
            guard case .request(let request) = parser.parse(Data(line.utf8)) else { Issue.record("unparsed"); return }
            dispatcher.submit(request) { reply in
                replies.append(reply.map { String(buffer: $0) } ?? "")
                done.yield()
            }
        }
        // The first answer is held in the store and at most two wait behind it: the other seven are refused
        // at once, before anything is released.
        let refused = replies.lines.map(object)
        #expect(refused.count >= 7)
        for reply in refused {
            #expect(errorCode(reply) == -32011)
            #expect(((reply["error"] as? [String: Any])?["message"] as? String)?.contains("busy") == true)
        }
        store.open()
        var count = 0
        for await _ in answered {
            count += 1
            if count == 10 { break }
        }
        let results = replies.lines.map(object).filter { $0["result"] != nil }
        #expect(results.count == 10 - refused.count)
        #expect(results.count >= 1)
    }

    @Test func aStoreThatFailsIsStorageUnavailableAndTheSessionKeepsOnlyWhatWasSaved() async throws {
        let store = ControlledStore()
        let client = DirectClient(
            dispatcher: Dispatcher(guide: TestGuide.shared, store: store, logger: Logger(label: "test")))
        let sessionId = try #require(
            (await client.result("session/start", ["flow": "reflect"]))["sessionId"] as? String)
        #expect(
            (await client.result("session/answer", ["sessionId": sessionId, "text": Self.answers[0]]))["accepted"]
                as? Bool == true)
        store.fail(true)
        let failed = await client.call("session/answer", ["sessionId": sessionId, "text": Self.answers[1]])
        #expect(errorCode(failed) == -32004)
        #expect(((failed["error"] as? [String: Any])?["message"] as? String)?.contains("nothing was saved") == true)
        store.fail(false)
        // The session was replayed from the store: the failed answer is not in it, and it asks that question again.
        let plan = (await client.result("plan/get", ["sessionId": sessionId]))["plan"] as? [String: Any]
        #expect((plan?["barriers"] as? [Any])?.count == 1)
        #expect((plan?["barriers"] as? [[String: Any]])?.first?["waysAround"] == nil)
        let stored = try store.load(try #require(SessionID(rawValue: sessionId)))
        #expect(stored.turns.map(\.text) == [Self.answers[0]])
    }

    @Test func backOverTheProtocolUndoesTheLastAnswerAndGetDescribesTheSession() async throws {
        let client = DirectClient(dispatcher: ProtocolHarness().dispatcher)
        let sessionId = try #require(
            (await client.result("session/start", ["flow": "reflect"]))["sessionId"] as? String)
        _ = await client.result("session/answer", ["sessionId": sessionId, "text": Self.answers[0]])
        let back = await client.result("session/command", ["sessionId": sessionId, "name": "back"])
        #expect(back["accepted"] as? Bool == true)
        #expect((back["prompt"] as? [String: Any])?["id"] as? String == "barrier")
        let plan = (await client.result("plan/get", ["sessionId": sessionId]))["plan"] as? [String: Any]
        #expect((plan?["barriers"] as? [Any])?.isEmpty == true)
        let got = await client.result("session/get", ["sessionId": sessionId])
        let record = try #require(got["session"] as? [String: Any])
        #expect(record["id"] as? String == sessionId)
        #expect(record["flow"] as? String == "reflect")
        #expect(record["finished"] as? Bool == false)
        #expect(got["turns"] as? Int == 2)
        #expect((got["prompt"] as? [String: Any])?["id"] as? String == "barrier")
    }

    @Test func everyTextFieldIsHeldToTheLimit() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumTextLength = 100
        let client = DirectClient(dispatcher: ProtocolHarness(configuration: configuration).dispatcher)
        let long = String(repeating: "x", count: 101)
        let sessionId = try #require(
            (await client.result("session/start", ["flow": "reflect"]))["sessionId"] as? String)
        let calls: [(String, [String: Any])] = [
            ("session/answer", ["sessionId": sessionId, "text": "ok", "speaker": long]),
            ("session/command", ["sessionId": sessionId, "name": "who", "argument": long]),
            ("corpus/search", ["query": long]),
            ("route", ["text": long]),
            ("session/start", ["flow": "reflect", "participants": ["Ana", long]]),
        ]
        for (method, params) in calls {
            let reply = await client.call(method, params)
            #expect(errorCode(reply) == -32003, "\(method)")
            #expect(!String(describing: reply).contains(long), "\(method) quoted the text")
        }
    }

    @Test func aConnectionHasAtMostItsInFlightLimitOfRequestsRunningAndAllAreAnswered() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumInFlightPerConnection = 2
        let store = ControlledStore()
        let harness = ProtocolHarness(configuration: configuration, controlled: store)
        let client = DirectClient(dispatcher: harness.dispatcher)
        var ids: [String] = []
        for _ in 0..<6 {
            ids.append(
                try #require((await client.result("session/start", ["flow": "reflect"]))["sessionId"] as? String))
        }
        // Six answers to six sessions, which could all run at once: each is held in the store until released.
        store.close()
        let lines =
            [ProtocolHarness.initialize]
            + ids.enumerated().map {
                requestLine($0.offset + 1, "session/answer", ["sessionId": $0.element, "text": Self.answers[0]])
            }
        let read = LinesRead()
        async let served = harness.run(lines, read: read)
        // Wait until two are held and the connection has taken the third answer (initialize and three answers), so
        // the third is at its slot, or in the store if the limit let it through; then release.
        let deadline = ContinuousClock.now + .seconds(10)
        while store.mostWaiting < 2 || read.value < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        store.open()
        let (responses, _) = await served
        #expect(responses.map(object).filter { $0["result"] != nil }.count == 7)
        #expect(store.mostWaiting == 2, "requests running at once")
    }

    @Test func differentSessionsRunInParallelAndAllAreAnswered() async throws {
        let harness = ProtocolHarness()
        let client = DirectClient(dispatcher: harness.dispatcher)
        var ids: [String] = []
        for _ in 0..<10 {
            ids.append(
                try #require((await client.result("session/start", ["flow": "reflect"]))["sessionId"] as? String))
        }
        let lines =
            [ProtocolHarness.initialize]
            + ids.enumerated().map {
                requestLine(
                    $0.offset + 1, "session/answer", ["sessionId": $0.element, "text": DispatcherTests.answers[0]])
            }
        let (responses, _) = await harness.run(lines)
        #expect(responses.map(object).filter { $0["result"] != nil }.count == 11)
    }

    @Test func routeAndCorpusSearchWorkWithoutASession() async throws {
        let client = DirectClient(dispatcher: ProtocolHarness().dispatcher)
        let routed = await client.result("route", ["text": "we have no time", "expect": "barrier"])
        #expect(routed["intent"] as? String == "barrier")
        let cards = await client.result("corpus/search", ["query": "huddle"])
        let titles = try #require(cards["cards"] as? [[String: Any]]).compactMap { $0["title"] as? String }
        #expect(titles.contains { $0.localizedCaseInsensitiveContains("huddle") })
        #expect(errorCode(await client.call("corpus/search", ["query": "x", "limit": 0])) == -32602)
    }
}
