import Foundation
import NIOCore
import Testing

@testable import SmallChangesServer

/// What an adversarial trial of the TCP server found, each kept from coming back.
@Suite(.serialized) struct TCPAdversaryTests {
    static let token = "7f3a9c1e5b2d8f4a6c0e9b7d3f1a5c8e"

    /// Runs blocking socket work off the cooperative pool.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    @Test func everyRequestReadBeforeTheClientHalfClosesIsAnswered() async throws {
        let running = try await RunningServer.start()
        let port = running.port
        let (lines, closed) = try await Self.blocking {
            let socket = try RawSocket(port: port, timeout: 60)
            var text = ProtocolHarness.initialize + "\n"
            for id in 1...200 { text += requestLine(id, "route", ["text": "we never have time to think"]) + "\n" }
            for id in 201...260 { text += requestLine(id, "session/start", ["flow": "reflect"]) + "\n" }
            socket.send(text)
            socket.shutdownWrite()
            return socket.readToEnd()
        }
        #expect(closed)
        #expect(lines.count == 261)
        #expect(Set(lines.map(object).compactMap { $0["id"] as? Int }) == Set(0...260))
        #expect(try running.store.records().count == 60)
        await running.stop()
    }

    @Test func silentUnauthenticatedConnectionsDoNotKeepAClientWithTheTokenOut() async throws {
        var configuration = ServerConfiguration(maximumConnections: 8, token: Self.token)
        configuration.maximumPendingConnections = 4
        let running = try await RunningServer.start(configuration)
        let port = running.port
        let silent = try await Self.blocking { try (0..<40).map { _ in try RawSocket(port: port) } }
        // Once the server has taken them all in, 36 have made room for newer ones and 4 wait, still open.
        let evicted = try await Self.blocking { RawSocket.closedCount(of: silent, reaching: 36) }
        #expect(evicted == 36)
        let (lines, _) = try await Self.blocking {
            let socket = try RawSocket(port: port, timeout: 60)
            socket.send(
                requestLine(1, "auth", ["token": Self.token]) + "\n" + ProtocolHarness.initialize + "\n"
                    + requestLine(2, "ping") + "\n")
            socket.shutdownWrite()
            return socket.readToEnd()
        }
        #expect(response(lines, id: 2)?["result"] is [String: Any], "\(lines)")
        withExtendedLifetime(silent) {}
        await running.stop()
    }

    @Test func withoutATokenABurstOfNewClientsIsNotCutShortByThePendingQuota() async throws {
        var configuration = ServerConfiguration(maximumConnections: 64)
        configuration.maximumPendingConnections = 4
        let running = try await RunningServer.start(configuration)
        let port = running.port
        // Forty clients connect before any has said a word, as a thousand do at the start of a load test.
        let clients = try await Self.blocking { try (0..<40).map { _ in try RawSocket(port: port, timeout: 60) } }
        let answered = try await Self.blocking {
            clients.filter { socket in
                socket.send(ProtocolHarness.initialize + "\n" + requestLine(2, "ping") + "\n")
                socket.shutdownWrite()
                return response(socket.readToEnd().0, id: 2)?["result"] is [String: Any]
            }.count
        }
        #expect(answered == 40)
        await running.stop()
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheGraceEvenWithoutAToken() async throws {
        let running = try await RunningServer.start(ServerConfiguration(silenceGrace: .milliseconds(300)))
        let port = running.port
        let started = ContinuousClock.now
        let (_, closed) = try await Self.blocking { try RawSocket(port: port, timeout: 60).readToEnd() }
        #expect(closed)
        #expect(ContinuousClock.now - started < .seconds(3))
        await running.stop()
    }

    @Test func aPartialLineBeforeAuthIsRefusedOnceItPassesTheUnauthenticatedLimit() async throws {
        let running = try await RunningServer.start(
            ServerConfiguration(authenticationGrace: .seconds(30), token: Self.token))
        let port = running.port
        let (lines, closed) = try await Self.blocking {
            let socket = try RawSocket(port: port, timeout: 60)
            socket.send(
                #"{"jsonrpc":"2.0","id":1,"method":"auth","params":{"token":""# + String(repeating: "x", count: 20_000))
            return socket.readToEnd()
        }
        #expect(closed)
        #expect(lines.count == 1)
        #expect(errorCode(lines.first.map(object)) == -32001)
        await running.stop()
    }

    @Test func aWrongTokenIsAnsweredOnlyAfterADelay() async throws {
        let running = try await RunningServer.start(ServerConfiguration(token: Self.token))
        let port = running.port
        let started = ContinuousClock.now
        let (lines, closed) = try await Self.blocking {
            let socket = try RawSocket(port: port, timeout: 60)
            socket.send(requestLine(1, "auth", ["token": String(Self.token.reversed())]) + "\n")
            return socket.readToEnd()
        }
        #expect(closed)
        #expect(errorCode(response(lines, id: 1)) == -32001)
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        await running.stop()
    }

    @Test func wrongTokensFromOneAddressAreLimitedPerMinuteWithoutLockingOutOthers() async throws {
        let running = try await RunningServer.start(
            ServerConfiguration(token: Self.token, wrongTokenDelay: .zero, maximumWrongTokensPerMinute: 3))
        let port = running.port
        func auth(_ token: String, from source: String) async throws -> [String: Any]? {
            let (lines, _) = try await Self.blocking {
                let socket = try RawSocket(port: port, timeout: 60, from: source)
                socket.send(requestLine(1, "auth", ["token": token]) + "\n")
                socket.shutdownWrite()
                return socket.readToEnd()
            }
            return response(lines, id: 1)
        }
        for _ in 0..<3 { #expect(errorCode(try await auth("wrong-token-0123456789", from: "127.0.0.2")) == -32001) }
        let refused = try await auth(Self.token, from: "127.0.0.2")
        #expect(errorCode(refused) == -32001)
        #expect(
            ((refused?["error"] as? [String: Any])?["data"] as? [String: Any])?["limit"] as? String
                == "wrongTokensPerMinute")
        #expect(try await auth(Self.token, from: "127.0.0.1")?["result"] is [String: Any])
        await running.stop()
    }

    @Test(arguments: ["aaaaaaaaaaaaaaaa", "abababababababab", "0000000000000000000000000000"])
    func aTokenOfFewDistinctCharactersIsRefused(token: String) {
        #expect(TokenCheck.weakness(of: token) != nil)
    }

    @Test func aRandomTokenIsAccepted() {
        #expect(TokenCheck.weakness(of: Self.token) == nil)
    }
}
