import Foundation
import SmallChangesCore
import SmallChangesServer
import SmallChangesStore

/// A pair session held by a `smallchanges serve --tcp` server and shared with a partner at another
/// terminal: answers go to the server, and the partner's turns arrive as notifications.
///
/// Requests are sent one at a time; notifications that arrive while waiting for a response are kept,
/// in order, for the REPL to show before the response's reply, which is the order the server applied them.
struct RemoteSession: SessionDriver {
    /// The server said no: shown to the person as it is, the session goes on.
    struct Refusal: Error, CustomStringConvertible {
        var code: Int
        var description: String

        /// A refusal in the server's words, with its protocol advice put as the REPL's command.
        init(code: Int, message: String) {
            self.code = code
            description =
                code == ErrorCode.notYourTurn.rawValue
                ? message.replacingOccurrences(of: "or send who first", with: "or type /who and a name first")
                : message
        }
    }

    private let socket: LineSocket
    let address: ServerAddress
    let id: SessionID
    let participants: [String]
    /// The participant typing at this terminal.
    let name: String
    private(set) var prompt: Prompt?
    private(set) var stands: String
    private(set) var isFinished: Bool
    /// Who may answer the current question.
    private(set) var answering: [String]
    /// Partners known to be connected.
    private(set) var present: Set<String>
    /// Until when the partner's join code works, while they have not joined: their questions wait for them.
    private var invitedUntil: Date?
    private var arrived: [Arrival] = []
    private var nextID = 1

    var store: (any SessionStore)? { nil }
    var arrivals: Int32? { socket.descriptor }

    var waitingForPartner: Bool {
        guard prompt != nil, !answering.contains(name) else { return false }
        return answering.contains(where: expected)
    }

    var askedPartner: String? {
        guard let speaker = prompt?.speaker, speaker != name, expected(speaker) else { return nil }
        return speaker
    }

    /// Whether a partner is connected, or invited with a code that still works.
    private func expected(_ partner: String) -> Bool {
        if present.contains(partner) { return true }
        guard let invitedUntil else { return false }
        return Date() < invitedUntil
    }

    /// Starts a shared pair session: this terminal answers as `participants[0]`. Returns the session,
    /// the opening, and the code the partner joins with.
    static func start(
        at address: ServerAddress, participants: [String], token: String?
    ) throws -> (session: RemoteSession, opening: Reply, code: String, expires: Date?) {
        let socket = try open(address, token: token)
        var counter = 2
        let started: SessionStart.Result = try call(
            socket, &counter, SessionStart.name, ["flow": "pair", "participants": participants, "share": true])
        guard let code = started.joinCode else {
            throw Refusal(code: 0, message: "the server did not share the session")
        }
        var session = RemoteSession(
            socket: socket, address: address, id: started.sessionId, participants: participants,
            name: participants[0], prompt: started.prompt, stands: started.stands, finished: false,
            answering: started.answering ?? participants, present: [participants[0]], nextID: counter + 1)
        session.invitedUntil = started.joinExpiresAt
        let opening = Reply(accepted: true, messages: started.messages, prompt: started.prompt)
        return (session, opening, code, started.joinExpiresAt)
    }

    /// Joins a shared session with the code a partner was given.
    static func join(
        at address: ServerAddress, code: String, name: String?, token: String?
    ) throws -> (session: RemoteSession, opening: Reply) {
        let socket = try open(address, token: token)
        var counter = 2
        var params: [String: Any] = ["code": code]
        if let name { params["name"] = name }
        let joined: SessionJoin.Result = try call(socket, &counter, SessionJoin.name, params)
        let session = RemoteSession(
            socket: socket, address: address, id: joined.sessionId, participants: joined.participants,
            name: joined.name, prompt: joined.prompt, stands: joined.stands, finished: joined.finished,
            answering: joined.answering ?? joined.participants, present: Set(joined.participants), nextID: counter + 1)
        let opening = Reply(accepted: true, messages: joined.messages, prompt: joined.prompt, finished: joined.finished)
        return (session, opening)
    }

    private init(
        socket: LineSocket, address: ServerAddress, id: SessionID, participants: [String], name: String,
        prompt: Prompt?, stands: String, finished: Bool, answering: [String], present: Set<String>, nextID: Int
    ) {
        self.socket = socket
        self.address = address
        self.id = id
        self.participants = participants
        self.name = name
        self.prompt = prompt
        self.stands = stands
        self.isFinished = finished
        self.answering = answering
        self.present = present
        self.nextID = nextID
    }

    mutating func answer(_ text: String) throws -> Reply {
        try turn(SessionAnswer.name, ["sessionId": id.rawValue, "text": text])
    }

    mutating func perform(_ command: Command) throws -> Reply {
        var params: [String: Any] = ["sessionId": id.rawValue, "name": command.name]
        if let argument = command.argument { params["argument"] = argument }
        return try turn(SessionCommand.name, params)
    }

    mutating func render(_ format: PlanFormat) throws -> String {
        let result: PlanExportResult = try request(
            SmallChangesServer.PlanExport.name, ["sessionId": id.rawValue, "format": format.rawValue])
        return result.content
    }

    mutating func takeArrivals(wait: Bool) throws -> [Arrival] {
        while let line = try socket.receive(wait: wait && arrived.isEmpty) {
            try take(line)
        }
        defer { arrived.removeAll() }
        return arrived
    }

    func leavingNotes(folder: DataFolder?) -> [String] {
        var notes = ["", "The session \(id) is kept by the server at \(address) (\(stands))."]
        if !isFinished {
            notes.append("Your partner can carry on; you can both see the plan with /plan before you leave.")
        }
        return notes
    }

    // MARK: The wire

    private mutating func turn(_ method: String, _ params: [String: Any]) throws -> Reply {
        let result: TurnResult = try request(method, params)
        apply(prompt: result.prompt, stands: result.stands, finished: result.finished, answering: result.answering)
        return Reply(
            accepted: result.accepted, routed: result.routed, needsConfirm: result.needsConfirm,
            messages: result.messages, prompt: result.prompt, finished: result.finished, quit: result.quit)
    }

    /// Sends a request and reads lines until its response; notifications on the way are kept.
    private mutating func request<Result: Decodable>(_ method: String, _ params: [String: Any]) throws -> Result {
        let id = nextID
        nextID += 1
        try socket.send(Self.line(id: id, method: method, params: params))
        while true {
            guard let line = try socket.receive(wait: true) else { continue }
            if let result: Result = try Self.response(line, id: id) { return result }
            try take(line)
        }
    }

    /// Keeps a notification, and moves the session's state on to what it says.
    private mutating func take(_ line: String) throws {
        guard let envelope = try? Self.decoder.decode(NotificationEnvelope.self, from: Data(line.utf8)) else { return }
        switch envelope.method {
        case SessionTurn.name:
            guard let turn = try? Self.decoder.decode(Notified<SessionTurn.Params>.self, from: Data(line.utf8)).params,
                turn.sessionId == id
            else { return }
            apply(prompt: turn.prompt, stands: turn.stands, finished: turn.finished, answering: turn.answering)
            let said = turn.kind == .command ? "/\(turn.text)\(turn.argument.map { " \($0)" } ?? "")" : turn.text
            let reply = Reply(
                accepted: turn.accepted, routed: turn.routed, needsConfirm: turn.needsConfirm, messages: turn.messages,
                prompt: turn.prompt, finished: turn.finished)
            arrived.append(.turn(speaker: turn.speaker, said: said, reply: reply))
        case SessionJoined.name, SessionLeft.name:
            guard
                let event = try? Self.decoder.decode(Notified<SessionJoined.Params>.self, from: Data(line.utf8)).params,
                event.sessionId == id
            else { return }
            if envelope.method == SessionJoined.name {
                present.insert(event.name)
                invitedUntil = nil
                arrived.append(.joined(event.name))
            } else {
                present.remove(event.name)
                arrived.append(.left(event.name))
            }
        default:
            return
        }
    }

    private mutating func apply(prompt: Prompt?, stands: String, finished: Bool, answering: [String]?) {
        self.prompt = prompt
        self.stands = stands
        self.isFinished = finished
        self.answering = answering ?? participants
    }

    // MARK: Encoding

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    private static func open(_ address: ServerAddress, token: String?) throws -> LineSocket {
        let socket = try LineSocket(host: address.host, port: address.port)
        var counter = 0
        if let token {
            let _: AuthResult = try call(socket, &counter, Auth.name, ["token": token])
        }
        let _: InitializeResult = try call(
            socket, &counter, Initialize.name,
            ["protocolVersion": Dispatcher.protocolVersion, "clientInfo": ["name": "smallchanges"]])
        return socket
    }

    /// One request before the session exists, when no notification can arrive yet.
    private static func call<Result: Decodable>(
        _ socket: LineSocket, _ counter: inout Int, _ method: String, _ params: [String: Any]
    ) throws -> Result {
        counter += 1
        try socket.send(line(id: counter, method: method, params: params))
        while true {
            guard let line = try socket.receive(wait: true) else { continue }
            if let result: Result = try response(line, id: counter) { return result }
        }
    }

    private static func line(id: Int, method: String, params: [String: Any]) -> String {
        let object: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method, "params": params]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The result if the line is the response with this id; throws its error as a `Refusal`.
    private static func response<Result: Decodable>(_ line: String, id: Int) throws -> Result? {
        let data = Data(line.utf8)
        guard let envelope = try? decoder.decode(ResponseEnvelope.self, from: data), envelope.id == id else {
            return nil
        }
        if let error = envelope.error { throw Refusal(code: error.code, message: error.message) }
        do {
            return try decoder.decode(Responded<Result>.self, from: data).result
        } catch {
            throw Refusal(code: 0, message: "the server's answer could not be read: \(error)")
        }
    }

    private struct ResponseEnvelope: Decodable {
        var id: Int?
        var error: ErrorObject?
    }

    private struct Responded<Result: Decodable>: Decodable {
        var result: Result
    }

    private struct NotificationEnvelope: Decodable {
        var method: String
    }

    private struct Notified<Params: Decodable>: Decodable {
        var params: Params
    }

    private struct AuthResult: Decodable {}
    private struct InitializeResult: Decodable {}

    private struct PlanExportResult: Decodable {
        var content: String
    }
}
