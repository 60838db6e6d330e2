import Foundation
import Synchronization

/// Lets the requests for one session through one at a time, in the order they arrived; requests for other
/// sessions, and those that name none, pass at once.
///
/// swift-sdk's `Server` runs every request in a task of its own, so two calls for one session that arrive in
/// order could reach the engine in either order. The turnstile sits in the transport, where arrival order is
/// still known: a `tools/call` naming a `session_id` that already has a call in flight is held back until that
/// call's response has been written (or the client cancelled it). It also counts what is in flight, so the end of
/// input can wait for every answer to be written, and refuses requests other than `ping` before `initialize`.
final class SessionTurnstile: Sendable {
    /// What to do with a line just read.
    enum Admission: Equatable {
        /// Hand it to the server now.
        case deliver
        /// Held back behind an earlier call for the same session; `completed` hands it over later.
        case held
        /// Not JSON, or too many calls already waiting for this session: answer this error line instead.
        case refuse(Data)
    }

    private struct State {
        /// For each request in flight (delivered, not yet answered): the session it names, if any.
        var inFlight: [String: String?] = [:]
        /// Sessions with a call in flight, and the calls waiting behind it, oldest first.
        var waiting: [String: [(id: String, line: Data)]] = [:]
        /// How many calls wait in `waiting`, over all sessions.
        var held = 0
        /// Whether `initialize` has come; before it, only `initialize` and `ping` are let through.
        var initialized = false
    }

    private let maximumWaitingPerSession: Int
    private let maximumOutstanding: Int
    private let state = Mutex(State())

    /// - Parameter maximumOutstanding: requests in flight and held, together, past which a request is refused
    ///   (`-32003`) rather than kept: refused, not left unread, since the answers to the server's own requests
    ///   (elicitation) that in-flight calls wait for come on the same input.
    init(maximumWaitingPerSession: Int, maximumOutstanding: Int = 4096) {
        self.maximumWaitingPerSession = maximumWaitingPerSession
        self.maximumOutstanding = maximumOutstanding
    }

    /// How many requests have been delivered and not answered yet.
    var inFlight: Int { state.withLock { $0.inFlight.count } }

    /// Decides what happens to a line from the client.
    func admit(_ line: Data) -> Admission {
        // swift-sdk answers a line that is not JSON with a made-up id; JSON-RPC wants `null`.
        guard let parsed = try? JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed]) else {
            return .refuse(Self.errorLine(id: nil, code: -32700, message: "parse error: the line is not valid JSON"))
        }
        guard let message = parsed as? [String: Any] else { return .deliver }
        if message["method"] as? String == "notifications/cancelled" {
            // Handled by `cancelled`, called by the transport once the notification is delivered.
            return .deliver
        }
        guard let method = message["method"] as? String, let id = Self.key(message["id"]) else { return .deliver }
        let session = Self.session(of: message)
        return state.withLock { state -> Admission in
            // The SDK's own check (strict mode) throws without answering, which would leave the client waiting.
            if method == "initialize" { state.initialized = true }
            guard state.initialized || method == "ping" else {
                return .refuse(
                    Self.errorLine(
                        id: message["id"], code: -32600, message: "invalid request: send initialize first"))
            }
            guard state.inFlight.count + state.held < maximumOutstanding else {
                return .refuse(
                    Self.errorLine(
                        id: message["id"], code: -32003,
                        message: "limit exceeded: \(maximumOutstanding) requests are already in flight; retry"))
            }
            guard let session else {
                state.inFlight[id] = .some(nil)
                return .deliver
            }
            if var queue = state.waiting[session] {
                guard queue.count < maximumWaitingPerSession else {
                    return .refuse(
                        Self.errorLine(
                            id: message["id"], code: -32011,
                            message: "session busy: \(maximumWaitingPerSession) calls are already waiting for this "
                                + "session; retry"))
                }
                queue.append((id, line))
                state.waiting[session] = queue
                state.held += 1
                return .held
            }
            state.waiting[session] = []
            state.inFlight[id] = .some(session)
            return .deliver
        }
    }

    /// Notes a line the server wrote; when it answers a request in flight, returns the next held call for the
    /// same session, now in flight, to deliver.
    func completed(_ line: Data) -> Data? {
        guard let message = Self.object(line), message["method"] == nil, let id = Self.key(message["id"]) else {
            return nil
        }
        return finish(id)
    }

    /// Forgets a request the client cancelled: the server sends no response for it. A held one is dropped.
    func cancelled(_ line: Data) -> Data? {
        guard let message = Self.object(line), message["method"] as? String == "notifications/cancelled",
            let params = message["params"] as? [String: Any], let id = Self.key(params["requestId"])
        else { return nil }
        let wasHeld = state.withLock { state -> Bool in
            for (session, queue) in state.waiting {
                if let index = queue.firstIndex(where: { $0.id == id }) {
                    state.waiting[session]?.remove(at: index)
                    state.held -= 1
                    return true
                }
            }
            return false
        }
        return wasHeld ? nil : finish(id)
    }

    private func finish(_ id: String) -> Data? {
        state.withLock { state -> Data? in
            guard let entry = state.inFlight.removeValue(forKey: id) else { return nil }
            guard let session = entry, var queue = state.waiting[session] else { return nil }
            guard !queue.isEmpty else {
                state.waiting[session] = nil
                return nil
            }
            let next = queue.removeFirst()
            state.waiting[session] = queue
            state.held -= 1
            state.inFlight[next.id] = .some(session)
            return next.line
        }
    }

    // MARK: Reading lines

    private static func object(_ line: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])) as? [String: Any]
    }

    /// A request id as a dictionary key, telling the string "1" from the number 1.
    private static func key(_ id: Any?) -> String? {
        switch id {
        case let text as String: "s:" + text
        case let number as NSNumber: "n:" + number.stringValue
        default: nil
        }
    }

    /// The session a tool call works on, from its `session_id` argument.
    private static func session(of message: [String: Any]) -> String? {
        guard message["method"] as? String == "tools/call", let params = message["params"] as? [String: Any],
            let arguments = params["arguments"] as? [String: Any]
        else { return nil }
        return arguments["session_id"] as? String
    }

    private static func errorLine(id: Any?, code: Int, message: String) -> Data {
        let error: [String: Any] = ["code": code, "message": message]
        let response: [String: Any] = ["jsonrpc": "2.0", "id": id ?? NSNull(), "error": error]
        return (try? JSONSerialization.data(withJSONObject: response, options: [.sortedKeys])) ?? Data()
    }
}
