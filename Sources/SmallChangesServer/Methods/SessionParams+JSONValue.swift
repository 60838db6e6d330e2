import SmallChangesCore

// The params of the methods sent on every turn, read straight from the parsed line. A params value that is
// not exactly as expected gives `nil`, and `Request.readParams` then decodes it the general way, which
// accepts the same values and names what is wrong.

/// Params that can be read directly from a `JSONValue`, faster than through `Decoder`.
protocol JSONValueReadable {
    init?(reading params: JSONValue)
}

extension JSONValue {
    /// A member that must be a string.
    fileprivate func string(_ key: String) -> String? {
        guard case .string(let text) = self[key] else { return nil }
        return text
    }

    /// A member that may be absent or null (`.some(nil)`), or a string; `nil` for any other type.
    fileprivate func optionalString(_ key: String) -> String?? {
        switch self[key] {
        case nil, .null: .some(nil)
        case .string(let text): .some(text)
        default: nil
        }
    }

    fileprivate func sessionID() -> SessionID? {
        string("sessionId").flatMap(SessionID.init(rawValue:))
    }
}

extension SessionAnswer.Params: JSONValueReadable {
    init?(reading params: JSONValue) {
        guard let sessionId = params.sessionID(), let text = params.string("text"),
            let speaker = params.optionalString("speaker"), let clientMsgId = params.optionalString("clientMsgId")
        else { return nil }
        self.init(sessionId: sessionId, text: text, speaker: speaker, clientMsgId: clientMsgId)
    }
}

extension SessionCommand.Params: JSONValueReadable {
    init?(reading params: JSONValue) {
        guard let sessionId = params.sessionID(), let name = params.string("name"),
            let argument = params.optionalString("argument")
        else { return nil }
        self.init(sessionId: sessionId, name: name, argument: argument)
    }
}

extension SessionClose.Params: JSONValueReadable {
    init?(reading params: JSONValue) {
        guard let sessionId = params.sessionID() else { return nil }
        self.init(sessionId: sessionId)
    }
}

extension SessionStart.Params: JSONValueReadable {
    /// The common case only: a flow, and maybe names; anything else goes the general way.
    init?(reading params: JSONValue) {
        guard let flow = params.string("flow"), params["reviewing"] == nil, params["share"] == nil else { return nil }
        var participants: [String]?
        switch params["participants"] {
        case nil, .null:
            break
        case .array(let names):
            var strings: [String] = []
            for name in names {
                guard case .string(let text) = name else { return nil }
                strings.append(text)
            }
            participants = strings
        default:
            return nil
        }
        self.init(flow: flow, participants: participants, reviewing: nil, share: nil)
    }
}

extension SessionAnswer {
    public static func params(of request: Request) throws(ErrorObject) -> Params { try request.readParams(Params.self) }
}

extension SessionCommand {
    public static func params(of request: Request) throws(ErrorObject) -> Params { try request.readParams(Params.self) }
}

extension SessionClose {
    public static func params(of request: Request) throws(ErrorObject) -> Params { try request.readParams(Params.self) }
}

extension SessionStart {
    public static func params(of request: Request) throws(ErrorObject) -> Params { try request.readParams(Params.self) }
}
