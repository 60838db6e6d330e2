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
        let started = try call(
            socket, &counter, SessionStart.self, .init(flow: "pair", participants: participants, share: true))
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
        let joined = try call(socket, &counter, SessionJoin.self, .init(code: code, name: name))
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
        try turn(SessionAnswer.self, .init(sessionId: id, text: text, promptId: prompt?.id))
    }

    mutating func perform(_ command: Command) throws -> Reply {
        try turn(SessionCommand.self, .init(sessionId: id, name: command.name, argument: command.argument))
    }

    mutating func render(_ format: PlanFormat) throws -> String {
        try request(SmallChangesServer.PlanExport.self, .init(sessionId: id, format: format)).content
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

    private mutating func turn<Method: RPCMethod>(_ method: Method.Type, _ params: Method.Params) throws -> Reply
    where Method.Result == TurnResult {
        let result = try request(method, params)
        apply(
            prompt: result.reply.prompt, stands: result.stands, finished: result.reply.finished,
            answering: result.answering)
        return result.reply
    }

    /// Sends a request and reads lines until its response; notifications on the way are kept.
    private mutating func request<Method: RPCMethod>(_: Method.Type, _ params: Method.Params) throws -> Method.Result {
        let id = nextID
        nextID += 1
        try socket.send(Self.line(RPCRequest(Method.self, id: .number(Int64(id)), params: params)))
        while true {
            guard let line = try socket.receive(wait: true) else { continue }
            if let result: Method.Result = try Self.response(line, id: id) { return result }
            try take(line)
        }
    }

    /// Keeps a notification, and moves the session's state on to what it says.
    private mutating func take(_ line: String) throws {
        let data = Data(line.utf8)
        // The method first; `Empty` reads any params.
        guard let envelope = try? Self.decoder.decode(RPCNotification<Empty>.self, from: data) else { return }
        switch envelope.method {
        case SessionTurn.name:
            guard let turn = try? Self.decoder.decode(RPCNotification<SessionTurn.Params>.self, from: data).params,
                turn.sessionId == id
            else { return }
            let result = turn.result
            apply(
                prompt: result.reply.prompt, stands: result.stands, finished: result.reply.finished,
                answering: result.answering)
            let said = turn.kind == .command ? "/\(turn.text)\(turn.argument.map { " \($0)" } ?? "")" : turn.text
            var reply = result.reply
            // The partner stopping for now does not end this terminal's session.
            reply.quit = false
            arrived.append(.turn(speaker: turn.speaker, said: said, reply: reply))
        case SessionJoined.name, SessionLeft.name:
            guard
                let event = try? Self.decoder.decode(RPCNotification<SessionJoined.Params>.self, from: data).params,
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
            _ = try call(socket, &counter, Auth.self, .init(token: token))
        }
        _ = try call(
            socket, &counter, Initialize.self,
            .init(protocolVersion: Dispatcher.protocolVersion, clientInfo: .init(name: "smallchanges")))
        return socket
    }

    /// One request before the session exists, when no notification can arrive yet.
    private static func call<Method: RPCMethod>(
        _ socket: LineSocket, _ counter: inout Int, _: Method.Type, _ params: Method.Params
    ) throws -> Method.Result {
        counter += 1
        try socket.send(line(RPCRequest(Method.self, id: .number(Int64(counter)), params: params)))
        while true {
            guard let line = try socket.receive(wait: true) else { continue }
            if let result: Method.Result = try response(line, id: counter) { return result }
        }
    }

    private static func line(_ request: RPCRequest<some Encodable & Sendable>) throws -> String {
        String(decoding: try ResponseEncoder.encoder().encode(request), as: UTF8.self)
    }

    /// The result if the line is the response with this id; throws its error as a `Refusal`.
    private static func response<Result: Codable & Sendable>(_ line: String, id: Int) throws -> Result? {
        let data = Data(line.utf8)
        // The id and error first (`Empty` reads any result), so a result that cannot be read is told apart.
        guard let envelope = try? decoder.decode(RPCResponse<Empty>.self, from: data), envelope.id == .number(Int64(id))
        else {
            return nil
        }
        if let error = envelope.error { throw Refusal(code: error.code, message: error.message) }
        do {
            guard let result = try decoder.decode(RPCResponse<Result>.self, from: data).result else {
                throw Refusal(code: 0, message: "the server's answer has no result")
            }
            return result
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal(code: 0, message: "the server's answer could not be read: \(error)")
        }
    }
}
