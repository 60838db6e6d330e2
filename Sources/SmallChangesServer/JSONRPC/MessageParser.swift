public import Foundation

/// Reads one line as a JSON-RPC message, telling apart a parse error, an invalid request and a
/// well-formed request, cheapest check first; the line is parsed once, into a `JSONValue`.
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
        line.withUnsafeBytes { parse($0) }
    }

    /// Reads one line from its bytes (without the `\n`).
    public func parse(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        guard bytes.contains(where: { !Self.isWhitespace($0) }) else { return .ignored }
        // A line that parses within the depth limit, every string valid UTF-8, is a valid line: the checks
        // below, each a pass over the line, only run to say what is wrong with one that does not.
        if let value = JSONValue.parse(bytes, maximumDepth: maximumDepth) { return Self.outcome(of: value) }
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
        guard let value = JSONValue.parse(bytes, maximumDepth: maximumDepth) else {
            return .invalid(.null, ErrorObject(.parseError, "parse error: the line is not valid JSON"))
        }
        return Self.outcome(of: value)
    }

    private static func outcome(of value: JSONValue) -> Outcome {
        switch value {
        case .array:
            return .invalid(.null, ErrorObject(.invalidRequest, "invalid request: batches are not supported"))
        case .object(let members):
            return Self.outcome(members)
        default:
            return .invalid(.null, ErrorObject(.invalidRequest, "invalid request: expected a JSON object"))
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The request in a message's members, each read leniently so a wrong type becomes an answer.
    private static func outcome(_ members: [(key: String, value: JSONValue)]) -> Outcome {
        func member(_ key: String) -> JSONValue? { members.last { $0.key == key }?.value }
        let replyID: JSONRPCID
        var requestID: JSONRPCID?
        switch member("id") {
        case nil:
            replyID = .null
        case .null:
            replyID = .null
            requestID = .null
        case .number(let text):
            if let number = Int64(text) {
                replyID = .number(number)
            } else if Self.isLongInteger(text) {
                replyID = .integer(text)
            } else {
                return .invalid(
                    .null, ErrorObject(.invalidRequest, "invalid request: id must be a string or an integer"))
            }
            requestID = replyID
        case .string(let text):
            replyID = .string(text)
            requestID = replyID
        default:
            return .invalid(.null, ErrorObject(.invalidRequest, "invalid request: id must be a string or an integer"))
        }
        let method = member("method")
        if method == nil && (member("result") != nil || member("error") != nil) { return .ignored }
        guard case .string("2.0") = member("jsonrpc") else {
            return .invalid(replyID, ErrorObject(.invalidRequest, "invalid request: jsonrpc must be \"2.0\""))
        }
        guard case .string(let name) = method else {
            return .invalid(replyID, ErrorObject(.invalidRequest, "invalid request: method must be a string"))
        }
        var params: JSONValue?
        switch member("params") {
        case nil, .null: break
        case .object(let members): params = .object(members)
        case .array(let elements): params = .array(elements)
        default:
            return .invalid(
                replyID, ErrorObject(.invalidRequest, "invalid request: params must be an object or an array"))
        }
        return .request(Request(id: requestID, method: name, params: params))
    }

    /// An integer too long for 64 bits, up to 38 digits (what a `Decimal` holds exactly): an optional `-`, then
    /// digits, no fraction or exponent.
    static func isLongInteger(_ text: String) -> Bool {
        let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.count <= 38 && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
