import Foundation
import Logging
import SmallChangesCore
import SmallChangesStore
import Synchronization
import Testing

@testable import SmallChangesServer

/// A clock a test moves by hand, so a join code can be made to expire.
final class ManualClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_790_000_000))
    func now() -> Date { time.withLock { $0 } }
    func advance(by seconds: TimeInterval) { time.withLock { $0 += seconds } }
}

/// A TCP server with the pair flow, a clock the test controls, and the store it writes to.
struct SharingServer {
    let server: TCPServer
    let port: Int
    let store: any SessionStore
    let clock: ManualClock
    let task: Task<Void, Never>

    static func start(
        store: any SessionStore = InMemorySessionStore(), configuration: ServerConfiguration = ServerConfiguration()
    ) async throws -> SharingServer {
        let clock = ManualClock()
        let dispatcher = Dispatcher(
            guide: TestGuide.withPair, store: store, configuration: configuration, logger: Logger(label: "test"),
            now: { clock.now() })
        let server = TCPServer(
            host: "127.0.0.1", port: 0, configuration: configuration, service: .jsonRPC(dispatcher),
            logger: Logger(label: "test"))
        let address = try await server.bind()
        let task = Task { await server.run() }
        return SharingServer(server: server, port: try #require(address.port), store: store, clock: clock, task: task)
    }

    /// Ana starts a shared pair session; returns her client, the session id and the join code.
    func startPair() async throws -> (ana: JSONLineClient, sessionId: String, code: String) {
        let ana = try await JSONLineClient.connect(to: port)
        let started = try await ana.result(
            "session/start", ["flow": "pair", "participants": ["Ana", "Ben"], "share": true])
        let sessionId = try #require(started["sessionId"] as? String)
        let code = try #require(started["joinCode"] as? String)
        return (ana, sessionId, code)
    }

    func stop() async {
        server.stop()
        await task.value
    }
}

/// Answers that the pair flow accepts, by question.
enum PairAnswers {
    static let byStep: [String: String] = [
        "principles": "every family should feel listened to",
        "barriers": "we never have time to talk as a team",
        "ways-around": "a fifteen minute team catch-up on Monday mornings",
        "change": "start a Monday morning team catch-up",
        "aim": "hold the catch-up every week until Easter and cut missed messages by half",
        "measures": "count the messages that get missed each week",
        "prediction": "people will be unsure for the first week",
        "steps": "on Monday I'll book the room and tell the team",
        "check-ins": "every other Friday at 12",
        "accountability": "we'll each report on our own change and the other asks one hard question",
        "sustain": "put it in the team calendar",
    ]

    /// What to say to a prompt: `yes` to a confirmation, `done` to a list already answered once.
    static func answer(to prompt: [String: Any], previous: [String: Any]?) -> String {
        let id = prompt["id"] as? String ?? ""
        if id.hasSuffix(".confirm") { return "yes" }
        let sameList =
            prompt["type"] as? String == "list" && previous?["id"] as? String == id
            && previous?["speaker"] as? String == prompt["speaker"] as? String
        if sameList { return "done" }
        return byStep[id] ?? "I'm not sure"
    }
}

@Suite(.serialized) struct SharedSessionTests {
    @Test func twoClientsTakeTurnsInOneSessionAndEachSeesTheOthersAnswersInOrder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sc-share-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteSessionStore(folder: DataFolder(url: folder))
        let running = try await SharingServer.start(store: store)
        try await Self.playPair(starting: running, joining: running, store: store)
        await running.stop()
        try store.close()
    }

    /// Ana starts a shared pair session on one server and Ben joins on the other (or the same); they play the
    /// pair flow to the end, each on their own connection, and each hears every turn of the other's in order.
    static func playPair(starting: SharingServer, joining: SharingServer, store: any SessionStore) async throws {
        let (ana, sessionId, code) = try await starting.startPair()
        let ben = try await JSONLineClient.connect(to: joining.port)
        let joined = try await ben.result("session/join", ["code": code.lowercased(), "name": "ben"])
        #expect(joined["sessionId"] as? String == sessionId)
        #expect(joined["name"] as? String == "Ben")
        #expect(joined["participants"] as? [String] == ["Ana", "Ben"])
        #expect(try await ana.nextNotification()?["method"] as? String == "session/joined")

        let clients = ["Ana": ana, "Ben": ben]
        var prompt = try #require(joined["prompt"] as? [String: Any])
        var answering = try #require(joined["answering"] as? [String])
        var previous: [String: Any]?
        var sent: [String: [(turn: Int, text: String)]] = ["Ana": [], "Ben": []]
        var said: [(name: String, text: String)] = []
        var turns = 0
        var finished = false
        for _ in 0..<80 where !finished {
            // For a question to both, the partner who did not answer last time takes it.
            let name = answering.count == 1 ? answering[0] : (turns % 2 == 0 ? "Ben" : "Ana")
            let text = PairAnswers.answer(to: prompt, previous: previous)
            let result = try await #require(clients[name]).result(
                "session/answer", ["sessionId": sessionId, "text": text, "speaker": name == "Ana" ? "Ben" : "Ana"])
            turns += 1
            sent[name, default: []].append((turns, text))
            said.append((name, text))
            previous = prompt
            finished = result["finished"] as? Bool ?? false
            if !finished {
                prompt = try #require(result["prompt"] as? [String: Any])
                answering = try #require(result["answering"] as? [String])
            }
        }
        #expect(finished)

        // The plan is the one the same answers give at one keyboard.
        let alone = try await JSONLineClient.connect(to: starting.port)
        let started = try await alone.result("session/start", ["flow": "pair", "participants": ["Ana", "Ben"]])
        let keyboard = try #require(started["sessionId"] as? String)
        for (name, text) in said {
            _ = try await alone.result("session/answer", ["sessionId": keyboard, "text": text, "speaker": name])
        }
        let together = try await alone.result("plan/get", ["sessionId": keyboard])
        let shared = try await alone.result("plan/get", ["sessionId": sessionId])
        #expect(DispatcherTests.text(shared) == DispatcherTests.text(together))
        await alone.close()

        for (listener, speaker) in [(ana, "Ben"), (ben, "Ana")] {
            var heard: [(turn: Int, text: String)] = []
            while let note = try await listener.nextNotification(within: 1) {
                guard note["method"] as? String == "session/turn", let params = note["params"] as? [String: Any] else {
                    continue
                }
                #expect(params["sessionId"] as? String == sessionId)
                #expect(params["speaker"] as? String == speaker)
                heard.append((params["turn"] as? Int ?? 0, params["text"] as? String ?? ""))
            }
            let expected = sent[speaker] ?? []
            #expect(heard.map(\.turn) == expected.map(\.turn), "\(speaker)'s turns, in order")
            #expect(heard.map(\.text) == expected.map(\.text))
        }

        let stored = try store.load(try #require(SessionID(rawValue: sessionId)))
        #expect(stored.record.participants == ["Ana", "Ben"])
        #expect(stored.record.finished)
        #expect(Set(stored.turns.compactMap(\.speaker)) == ["Ana", "Ben"])
        // Every answer is stored under the partner who sent it, whatever `speaker` the client claimed.
        let storedBy = stored.turns.map { $0.speaker ?? "" }
        for (name, answers) in sent {
            for answer in answers { #expect(storedBy[answer.turn - 1] == name) }
        }
        await ana.close()
        await ben.close()
    }

    @Test func aJoinCodeWorksOnceAndAWrongOneIsRefused() async throws {
        let running = try await SharingServer.start()
        let (ana, _, code) = try await running.startPair()
        let ben = try await JSONLineClient.connect(to: running.port)
        let wrong = String(code.reversed())
        #expect(errorCode(try await ben.call("session/join", ["code": wrong])) == -32013)
        #expect(errorCode(try await ben.call("session/join", ["code": "not a code"])) == -32013)
        #expect(try await ben.call("session/join", ["code": code])["result"] != nil)
        let eve = try await JSONLineClient.connect(to: running.port)
        let reused = try await eve.call("session/join", ["code": code])
        #expect(errorCode(reused) == -32013)
        #expect(
            (reused["error"] as? [String: Any])?["message"] as? String
                == (try await ben.call(
                    "session/join", ["code": wrong]))["error"].flatMap { ($0 as? [String: Any])?["message"] as? String }
        )
        await ana.close()
        await ben.close()
        await eve.close()
        await running.stop()
    }

    @Test func aJoinCodeExpiresAfterTenMinutes() async throws {
        let running = try await SharingServer.start()
        let (ana, _, code) = try await running.startPair()
        running.clock.advance(by: 10 * 60 + 1)
        let ben = try await JSONLineClient.connect(to: running.port)
        #expect(errorCode(try await ben.call("session/join", ["code": code])) == -32013)
        await ana.close()
        await ben.close()
        await running.stop()
    }

    @Test func fiveWrongCodesOnOneConnectionStopItFromTryingMore() async throws {
        let running = try await SharingServer.start()
        let (ana, _, code) = try await running.startPair()
        let guesser = try await JSONLineClient.connect(to: running.port)
        for guess in ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC", "DDDDDDDD", "EEEEEEEE"] {
            #expect(errorCode(try await guesser.call("session/join", ["code": guess])) == -32013)
        }
        // Even the right code is now refused unchecked, and it stays open for the real partner.
        #expect(errorCode(try await guesser.call("session/join", ["code": code])) == -32003)
        let ben = try await JSONLineClient.connect(to: running.port)
        #expect(try await ben.call("session/join", ["code": code])["result"] != nil)
        await ana.close()
        await guesser.close()
        await ben.close()
        await running.stop()
    }

    @Test func wrongCodesFromOneSourceDoNotBlockTheRightCodeFromAnother() async throws {
        let running = try await SharingServer.start(
            configuration: ServerConfiguration(maximumWrongJoinCodesPerMinute: 3))
        let (ana, _, code) = try await running.startPair()
        for _ in 0..<3 {
            let guesser = try await JSONLineClient.connect(to: running.port, from: "127.0.0.2")
            #expect(errorCode(try await guesser.call("session/join", ["code": "AAAAAAAA"])) == -32013)
            await guesser.close()
        }
        let another = try await JSONLineClient.connect(to: running.port, from: "127.0.0.2")
        #expect(errorCode(try await another.call("session/join", ["code": code])) == -32003)
        let ben = try await JSONLineClient.connect(to: running.port)
        #expect(try await ben.call("session/join", ["code": code])["result"] != nil)
        await ana.close()
        await another.close()
        await ben.close()
        await running.stop()
    }

    @Test func wrongCodesFromManyConnectionsFromOneSourceAreCapped() async throws {
        let running = try await SharingServer.start(
            configuration: ServerConfiguration(maximumWrongJoinCodesPerMinute: 3))
        let (ana, _, code) = try await running.startPair()
        for _ in 0..<3 {
            let guesser = try await JSONLineClient.connect(to: running.port)
            #expect(errorCode(try await guesser.call("session/join", ["code": "AAAAAAAA"])) == -32013)
            await guesser.close()
        }
        let ben = try await JSONLineClient.connect(to: running.port)
        #expect(errorCode(try await ben.call("session/join", ["code": code])) == -32003)
        running.clock.advance(by: 61)
        #expect(try await ben.call("session/join", ["code": code])["result"] != nil)
        await ana.close()
        await ben.close()
        await running.stop()
    }

    @Test func answeringOutOfTurnIsRefusedWhileThePartnerIsConnected() async throws {
        let store = InMemorySessionStore()
        let running = try await SharingServer.start(store: store)
        let (ana, sessionId, code) = try await running.startPair()
        let ben = try await JSONLineClient.connect(to: running.port)
        _ = try await ben.result("session/join", ["code": code])
        let early = try await ben.call(
            "session/answer", ["sessionId": sessionId, "text": "people come first", "speaker": "Ana"])
        #expect(errorCode(early) == -32012)
        #expect(try store.load(try #require(SessionID(rawValue: sessionId))).turns.isEmpty)
        // Ben cannot take Ana's question with `who` while she is there; Ana can hand it to him, and then his
        // answer is his.
        let taken = try await ben.call("session/command", ["sessionId": sessionId, "name": "who", "argument": "ben"])
        #expect(errorCode(taken) == -32012)
        _ = try await ana.result("session/command", ["sessionId": sessionId, "name": "who", "argument": "Ben"])
        _ = try await ben.result("session/answer", ["sessionId": sessionId, "text": "people come before process"])
        let turns = try store.load(try #require(SessionID(rawValue: sessionId))).turns
        #expect(turns.last?.speaker == "Ben")
        #expect(turns.count == 2)
        let notes = [try await ana.nextNotification(), try await ana.nextNotification()]
        #expect(notes.map { $0?["method"] as? String } == ["session/joined", "session/turn"])
        #expect((notes[1]?["params"] as? [String: Any])?["speaker"] as? String == "Ben")
        let told = try #require(await ben.nextNotification())
        #expect((told["params"] as? [String: Any])?["kind"] as? String == "command")
        await ana.close()
        await ben.close()
        await running.stop()
    }

    @Test func aConnectionThatHasNotJoinedCannotChangeASharedSessionWithTheIDAlone() async throws {
        let store = InMemorySessionStore()
        let running = try await SharingServer.start(store: store)
        let (ana, sessionId, code) = try await running.startPair()
        let ben = try await JSONLineClient.connect(to: running.port)
        _ = try await ben.result("session/join", ["code": code])
        let stranger = try await JSONLineClient.connect(to: running.port)
        let answer = try await stranger.call(
            "session/answer", ["sessionId": sessionId, "text": "people come first", "speaker": "Ana"])
        #expect(errorCode(answer) == -32012)
        let back = try await stranger.call("session/command", ["sessionId": sessionId, "name": "back"])
        #expect(errorCode(back) == -32012)
        // Reading is still allowed; nothing was stored.
        #expect(try await stranger.result("session/get", ["sessionId": sessionId])["session"] != nil)
        #expect(try store.load(try #require(SessionID(rawValue: sessionId))).turns.isEmpty)
        await stranger.close()
        await ana.close()
        await ben.close()
        await running.stop()
    }

    @Test func whenOnePartnerLeavesTheOtherIsToldAndCanFinishAlone() async throws {
        let store = InMemorySessionStore()
        let running = try await SharingServer.start(store: store)
        let (ana, sessionId, code) = try await running.startPair()
        let ben = try await JSONLineClient.connect(to: running.port)
        var latest = try await ben.result("session/join", ["code": code])
        _ = try await ana.result(
            "session/answer", ["sessionId": sessionId, "text": "every family should feel listened to"])
        await ana.close()
        var methods: [String] = []
        while let note = try await ben.nextNotification(within: 2) {
            methods.append(note["method"] as? String ?? "")
            if let params = note["params"] as? [String: Any], params["prompt"] != nil { latest = params }
            if methods.last == "session/left" {
                #expect((note["params"] as? [String: Any])?["name"] as? String == "Ana")
                break
            }
        }
        #expect(methods == ["session/turn", "session/left"])

        var previous: [String: Any]? = ["id": "principles", "type": "list", "speaker": "Ana"]
        var finished = false
        for _ in 0..<80 where !finished {
            let prompt = try #require(latest["prompt"] as? [String: Any])
            let text = PairAnswers.answer(to: prompt, previous: previous)
            previous = prompt
            latest = try await ben.result("session/answer", ["sessionId": sessionId, "text": text])
            finished = latest["finished"] as? Bool ?? false
        }
        #expect(finished)
        let stored = try store.load(try #require(SessionID(rawValue: sessionId)))
        #expect(Set(stored.turns.compactMap(\.speaker)) == ["Ana", "Ben"])
        #expect(stored.record.finished)
        await ben.close()
        await running.stop()
    }

    @Test func sharingNeedsTwoDifferentNames() async throws {
        let running = try await SharingServer.start()
        let ana = try await JSONLineClient.connect(to: running.port)
        let alone = try await ana.call("session/start", ["flow": "pair", "participants": ["Ana"], "share": true])
        #expect(errorCode(alone) == -32602)
        let twins = try await ana.call(
            "session/start", ["flow": "pair", "participants": ["Ana", "ana"], "share": true])
        #expect(errorCode(twins) == -32602)
        await ana.close()
        await running.stop()
    }

    @Test func joinCodesAreEightUnambiguousCharactersAndReadLeniently() throws {
        let codes = (0..<200).map { _ in JoinCode.mint() }
        #expect(Set(codes).count == 200)
        for code in codes {
            #expect(code.value.count == 8)
            #expect(!code.value.contains { "0O1I".contains($0) })
        }
        let code = try #require(codes.first)
        #expect(JoinCode(typed: code.description.lowercased()) == code)
        #expect(JoinCode(typed: " \(code.value.prefix(4)) \(code.value.dropFirst(4)) ") == code)
        #expect(JoinCode(typed: code.value + "2") == nil)
        #expect(JoinCode(typed: "O0O0O0O0") == nil)
    }
}
