public import Foundation

/// Reads one line as a JSON-RPC message, telling apart a parse error, an invalid request and a
/// well-formed request, cheapest check first.
public struct MessageParser: Sendable {
    /// What a line turned out to be.
    public enum Outcome: Sendable {
        case request(Request)
        /// The line cannot be run; answer with this error and id (null when the id could not be read).
        case invalid(JSONRPCID, ErrorObject)
        /// A response or an empty line from the client: nothing to do, nothing to answer.
        case ignored
    }

    public var maximumDepth: Int

    public init(maximumDepth: Int) {
        self.maximumDepth = maximumDepth
    }

    public func parse(_ line: Data) -> Outcome {
        // The byte checks run on the raw buffer: iterating `Data` byte by byte costs far more.
        let check = line.withUnsafeBytes { bytes -> Outcome? in
            guard bytes.contains(where: { !Self.isWhitespace($0) }) else { return .ignored }
            guard String(validating: bytes, as: UTF8.self) != nil else {
                return .invalid(.null, ErrorObject(.parseError, "parse error: the line is not valid UTF-8"))
            }
            if NestingDepth.exceeds(bytes, limit: maximumDepth) {
                return .invalid(
                    .null,
                    ErrorObject(
                        .invalidRequest, "invalid request: JSON nested deeper than \(maximumDepth) levels",
                        data: ["limit": "maxDepth"]))
            }
            return nil
        }
        if let check { return check }
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: line)
        } catch DecodingError.typeMismatch {
            let first = line.first { !Self.isWhitespace($0) }
            if first == UInt8(ascii: "[") {
                return .invalid(.null, ErrorObject(.invalidRequest, "invalid request: batches are not supported"))
            }
            return .invalid(.null, ErrorObject(.invalidRequest, "invalid request: expected a JSON object"))
        } catch {
            return .invalid(.null, ErrorObject(.parseError, "parse error: the line is not valid JSON"))
        }
        return envelope.outcome(line: line)
    }

    /// The params types decoded in the same pass as the envelope: those of the methods sent on every turn.
    static let paramsDecodedEarly: [String: any (Decodable & Sendable).Type] = [
        SessionAnswer.name: SessionAnswer.Params.self, SessionCommand.name: SessionCommand.Params.self,
        SessionStart.name: SessionStart.Params.self,
    ]

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// The members of a message, each read leniently so a wrong type becomes an answer, not a throw.
private struct Envelope: Decodable {
    enum Key: String, CodingKey { case jsonrpc, id, method, params, result, error }
    enum IDMember { case absent, present(JSONRPCID), invalid }
    enum ParamsMember { case absent, structured, invalid }

    var version: String?
    var id: IDMember
    var method: String?
    var hasMethod: Bool
    var params: ParamsMember
    var decodedParams: (any Sendable)?
    var isResponse: Bool

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        version = try? container.decode(String.self, forKey: .jsonrpc)
        if !container.contains(.id) {
            id = .absent
        } else if (try? container.decodeNil(forKey: .id)) == true {
            id = .present(.null)
        } else if let number = try? container.decode(Int64.self, forKey: .id) {
            id = .present(.number(number))
        } else if let string = try? container.decode(String.self, forKey: .id) {
            id = .present(.string(string))
        } else {
            id = .invalid
        }
        hasMethod = container.contains(.method)
        method = try? container.decode(String.self, forKey: .method)
        if !container.contains(.params) || (try? container.decodeNil(forKey: .params)) == true {
            params = .absent
        } else if (try? container.nestedContainer(keyedBy: Key.self, forKey: .params)) != nil
            || (try? container.nestedUnkeyedContainer(forKey: .params)) != nil
        {
            params = .structured
        } else {
            params = .invalid
        }
        isResponse = container.contains(.result) || container.contains(.error)
        if params == .structured, let method, let type = MessageParser.paramsDecodedEarly[method] {
            decodedParams = Self.decode(type, from: container)
        }
    }

    private static func decode<P: Decodable & Sendable>(
        _: P.Type, from container: KeyedDecodingContainer<Key>
    ) -> (any Sendable)? {
        try? container.decode(P.self, forKey: .params)
    }

    func outcome(line: Data) -> MessageParser.Outcome {
        let replyID: JSONRPCID
        switch id {
        case .present(let value): replyID = value
        case .absent, .invalid: replyID = .null
        }
        if case .invalid = id {
            return .invalid(.null, ErrorObject(.invalidRequest, "invalid request: id must be a string or an integer"))
        }
        if !hasMethod && isResponse { return .ignored }
        guard version == "2.0" else {
            return .invalid(replyID, ErrorObject(.invalidRequest, "invalid request: jsonrpc must be \"2.0\""))
        }
        guard let method else {
            return .invalid(replyID, ErrorObject(.invalidRequest, "invalid request: method must be a string"))
        }
        if case .invalid = params {
            return .invalid(
                replyID, ErrorObject(.invalidRequest, "invalid request: params must be an object or an array"))
        }
        let requestID: JSONRPCID?
        if case .present(let value) = id { requestID = value } else { requestID = nil }
        var request = Request(id: requestID, method: method, line: line, hasParams: params == .structured)
        request.decodedParams = decodedParams
        return .request(request)
    }
}
