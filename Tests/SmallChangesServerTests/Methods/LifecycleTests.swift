import Foundation
import NIOCore
import Testing

@testable import SmallChangesServer

@Suite struct LifecycleTests {
    @Test func requestsBeforeInitializeGetNotInitializedButPingIsAnswered() async {
        let harness = ProtocolHarness()
        let (lines, _) = await harness.run([
            requestLine(1, "flows/list"), requestLine(2, "ping"), ProtocolHarness.initialize,
            requestLine(3, "flows/list"),
        ])
        #expect(errorCode(response(lines, id: 1)) == -32002)
        #expect(response(lines, id: 2)?["result"] is [String: Any])
        #expect(response(lines, id: 0)?["result"] is [String: Any])
        #expect(response(lines, id: 3)?["result"] is [String: Any])
    }

    @Test func aNotificationGetsNoReply() async {
        let harness = ProtocolHarness()
        let (lines, _) = await harness.run([
            ProtocolHarness.initialize, requestLine(nil, "initialized"), requestLine(nil, "flows/list"),
            requestLine(nil, "no/such/method"), requestLine(9, "ping"),
        ])
        #expect(lines.count == 2)
        #expect(lines.map(object).compactMap { $0["id"] as? Int }.sorted() == [0, 9])
    }

    @Test func anUnknownMethodIsMethodNotFound() async {
        let (lines, _) = await ProtocolHarness().run([ProtocolHarness.initialize, requestLine(5, "rpc.discover")])
        #expect(errorCode(response(lines, id: 5)) == -32601)
    }

    @Test func theIdIsEchoedWithItsTypePreserved() async {
        let (lines, _) = await ProtocolHarness().run([
            #"{"jsonrpc":"2.0","id":"42","method":"ping"}"#, #"{"jsonrpc":"2.0","id":42,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":"🙂\n\"","method":"ping"}"#,
        ])
        let ids = lines.map(object).map { $0["id"] }
        // The raw lines show the type: a string id comes back quoted, a number bare.
        #expect(lines.contains { $0.hasPrefix(#"{"id":"42","#) })
        #expect(lines.contains { $0.hasPrefix(#"{"id":42,"#) })
        #expect(ids.contains { $0 as? String == "🙂\n\"" })
        #expect(lines.allSatisfy { !$0.contains("\n") })
    }

    @Test func aBatchIsOneInvalidRequestWithANullID() async {
        let (lines, _) = await ProtocolHarness().run([
            #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]"#
        ])
        #expect(lines.count == 1)
        #expect(errorCode(object(lines[0])) == -32600)
        #expect(object(lines[0])["id"] is NSNull)
    }

    @Test func shutdownThenExitEndsCleanlyAndExitAloneDoesNot() async {
        let harness = ProtocolHarness()
        let clean = await harness.run([
            ProtocolHarness.initialize, requestLine(1, "shutdown"), requestLine(2, "ping"),
            requestLine(3, "flows/list"), requestLine(nil, "exit"), requestLine(4, "ping"),
        ])
        #expect(clean.ending == .exit(clean: true))
        // After shutdown only exit is served: ping too is refused.
        #expect(errorCode(response(clean.lines, id: 2)) == -32600)
        #expect(errorCode(response(clean.lines, id: 3)) == -32600)
        #expect(response(clean.lines, id: 4) == nil)
        let abrupt = await harness.run([ProtocolHarness.initialize, requestLine(nil, "exit")])
        #expect(abrupt.ending == .exit(clean: false))
    }

    @Test func anOverLongLineOnStdioIsOneErrorAndTheNextLineIsServed() async {
        let (lines, ending) = await ProtocolHarness().run(
            events: [.tooLong, .line(ByteBuffer(string: requestLine(1, "ping")))], face: .stdio)
        #expect(ending == .endOfInput)
        #expect(lines.count == 2)
        #expect(errorCode(object(lines[0])) == -32600)
        #expect(response(lines, id: 1)?["result"] != nil)
    }

    @Test func withATokenEveryMethodButAuthIsRefusedBeforeAuthentication() async throws {
        var configuration = ServerConfiguration()
        configuration.token = "correct-horse-battery-staple"
        let harness = ProtocolHarness(configuration: configuration)
        let methods = Dispatcher.methods.filter { $0 != Auth.name }
        let lines = methods.enumerated().map { requestLine($0.offset + 1, $0.element, ["sessionId": "s-222222222222"]) }
        let (refused, ending) = await harness.run(lines, face: .tcp)
        #expect(ending == .endOfInput)
        #expect(refused.count == methods.count)
        #expect(refused.map(object).allSatisfy { errorCode($0) == -32001 })
        #expect(try harness.store.records().isEmpty)

        let (accepted, _) = await harness.run(
            [
                requestLine(1, "auth", ["token": "correct-horse-battery-staple"]), ProtocolHarness.initialize,
                requestLine(2, "ping"),
            ], face: .tcp)
        #expect((response(accepted, id: 1)?["result"] as? [String: Any])?["authenticated"] as? Bool == true)
        #expect(response(accepted, id: 2)?["result"] != nil)

        let (wrong, wrongEnding) = await harness.run(
            [requestLine(1, "auth", ["token": "correct-horse-battery-stapl3"]), requestLine(2, "ping")], face: .tcp)
        #expect(errorCode(response(wrong, id: 1)) == -32001)
        #expect(response(wrong, id: 2) == nil)
        #expect(wrongEnding == .closed("wrong token"))
    }

    @Test func theTokenComparisonMatchesOnlyTheSameToken() {
        #expect(TokenCheck.matches("abcdefgh", "abcdefgh"))
        #expect(!TokenCheck.matches("abcdefgx", "abcdefgh"))
        #expect(!TokenCheck.matches("abcdefg", "abcdefgh"))
        #expect(!TokenCheck.matches("abcdefghi", "abcdefgh"))
        #expect(!TokenCheck.matches("", "abcdefgh"))
    }

    @Test func anHTTPRequestOnTCPIsClosedBeforeAnyLineRuns() async throws {
        let harness = ProtocolHarness()
        let (lines, ending) = await harness.run(
            [
                "POST / HTTP/1.1", "Host: 127.0.0.1:4747", "Content-Type: text/plain", "",
                ProtocolHarness.initialize, requestLine(1, "session/start", ["flow": "reflect"]),
            ], face: .tcp)
        #expect(lines.isEmpty)
        #expect(ending == .closed("HTTP request on the protocol port"))
        #expect(try harness.store.records().isEmpty)
    }

    @Test func initializedSentWithAnIdIsAnswered() async {
        let (lines, _) = await ProtocolHarness().run([ProtocolHarness.initialize, requestLine(7, "initialized")])
        #expect(response(lines, id: 7)?["result"] is [String: Any])
    }

    @Test func shutdownBeforeInitializeIsRefusedAndLeavesTheConnectionUsable() async {
        let (lines, _) = await ProtocolHarness().run([
            requestLine(1, "shutdown"), ProtocolHarness.initialize, requestLine(2, "flows/list"),
        ])
        #expect(errorCode(response(lines, id: 1)) == -32002)
        #expect(response(lines, id: 2)?["result"] is [String: Any])
    }

    @Test func integerIdsBeyondSixtyFourBitsAreEchoedExactly() async {
        let ids = ["9223372036854775808", "18446744073709551615", "-9223372036854775809"]
        let (lines, _) = await ProtocolHarness().run(
            ids.map { #"{"jsonrpc":"2.0","id":\#($0),"method":"ping"}"# }
                + ids.map { #"{"jsonrpc":"2.0","id":\#($0),"method":"flows/list"}"# })
        #expect(lines.count == 6)
        for (line, id) in zip(lines, ids + ids) {
            #expect(line.contains(#""id":\#(id),"#) || line.contains(#""id":\#(id)}"#), "\(line)")
            #expect(!line.contains("-32600"), "\(line)")
        }
    }
}
