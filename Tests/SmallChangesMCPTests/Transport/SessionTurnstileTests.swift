import Foundation
import Testing

@testable import SmallChangesMCP

@Suite struct SessionTurnstileTests {
    private func call(_ id: Int, session: String?) -> Data {
        var arguments: [String: Any] = ["text": "hello"]
        if let session { arguments["session_id"] = session }
        let message: [String: Any] = [
            "jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": "answer", "arguments": arguments],
        ]
        return (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])) ?? Data()
    }

    private func response(_ id: Int) -> Data {
        Data(#"{"jsonrpc":"2.0","id":\#(id),"result":{}}"#.utf8)
    }

    private static let initialize = Data(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}"#.utf8)

    /// A turnstile that has let `initialize` through.
    private func turnstile(maximumWaitingPerSession: Int = 8, maximumOutstanding: Int = 4096) -> SessionTurnstile {
        let turnstile = SessionTurnstile(
            maximumWaitingPerSession: maximumWaitingPerSession, maximumOutstanding: maximumOutstanding)
        _ = turnstile.admit(Self.initialize)
        _ = turnstile.completed(Data(#"{"jsonrpc":"2.0","id":0,"result":{}}"#.utf8))
        return turnstile
    }

    @Test func requestsOtherThanPingBeforeInitializeAreRefused() throws {
        let turnstile = SessionTurnstile(maximumWaitingPerSession: 8)
        #expect(turnstile.admit(Data(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8)) == .deliver)
        guard case .refuse(let line) = turnstile.admit(call(2, session: "s-a")) else {
            Issue.record("a call before initialize was let through")
            return
        }
        let error = try JSONSerialization.jsonObject(with: line) as? [String: Any]
        #expect((error?["error"] as? [String: Any])?["code"] as? Int == -32600)
        #expect(turnstile.admit(Self.initialize) == .deliver)
        #expect(turnstile.admit(call(3, session: "s-a")) == .deliver)
    }

    @Test func aSecondCallForASessionWaitsUntilTheFirstIsAnsweredAndOthersPass() {
        let turnstile = turnstile()
        #expect(turnstile.admit(call(1, session: "s-a")) == .deliver)
        #expect(turnstile.admit(call(2, session: "s-a")) == .held)
        #expect(turnstile.admit(call(3, session: "s-a")) == .held)
        #expect(turnstile.admit(call(4, session: "s-b")) == .deliver)
        #expect(turnstile.admit(call(5, session: nil)) == .deliver)
        #expect(turnstile.inFlight == 3)
        #expect(turnstile.completed(response(4)) == nil)
        #expect(turnstile.completed(response(1)) == call(2, session: "s-a"))
        #expect(turnstile.completed(response(2)) == call(3, session: "s-a"))
        #expect(turnstile.completed(response(3)) == nil)
        #expect(turnstile.admit(call(6, session: "s-a")) == .deliver)
    }

    @Test func aCancelledCallReleasesTheNextAndAHeldOneIsDropped() {
        let turnstile = turnstile()
        _ = turnstile.admit(call(1, session: "s-a"))
        _ = turnstile.admit(call(2, session: "s-a"))
        _ = turnstile.admit(call(3, session: "s-a"))
        let cancelHeld = Data(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}}"#.utf8)
        #expect(turnstile.cancelled(cancelHeld) == nil)
        let cancelFirst = Data(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#.utf8)
        #expect(turnstile.cancelled(cancelFirst) == call(3, session: "s-a"))
    }

    @Test func callsPastTheLimitForOneSessionAreRefusedAsBusy() throws {
        let turnstile = turnstile(maximumWaitingPerSession: 1)
        _ = turnstile.admit(call(1, session: "s-a"))
        _ = turnstile.admit(call(2, session: "s-a"))
        guard case .refuse(let line) = turnstile.admit(call(3, session: "s-a")) else {
            Issue.record("the third call was not refused")
            return
        }
        let error = try JSONSerialization.jsonObject(with: line) as? [String: Any]
        #expect((error?["error"] as? [String: Any])?["code"] as? Int == -32011)
        #expect(error?["id"] as? Int == 3)
    }

    @Test func aLineThatIsNotJSONIsAnsweredWithAParseErrorWithANullID() throws {
        let turnstile = SessionTurnstile(maximumWaitingPerSession: 1)
        guard case .refuse(let line) = turnstile.admit(Data("not json".utf8)) else {
            Issue.record("the line was not refused")
            return
        }
        let error = try JSONSerialization.jsonObject(with: line) as? [String: Any]
        #expect((error?["error"] as? [String: Any])?["code"] as? Int == -32700)
        #expect(error?["id"] is NSNull)
    }

    @Test func requestsPastTheOverallLimitAreRefusedNotKept() {
        let turnstile = turnstile(maximumOutstanding: 3)
        #expect(turnstile.admit(call(1, session: "s-a")) == .deliver)
        #expect(turnstile.admit(call(2, session: "s-a")) == .held)
        #expect(turnstile.admit(call(3, session: nil)) == .deliver)
        guard case .refuse = turnstile.admit(call(4, session: "s-b")) else {
            Issue.record("the fourth request was kept")
            return
        }
        _ = turnstile.completed(response(3))
        #expect(turnstile.admit(call(5, session: "s-b")) == .deliver)
    }
}
