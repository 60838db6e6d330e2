public import Foundation

/// Reads one line as a JSON-RPC message, telling apart a parse error, an invalid request and a
/// well-formed request. The line is checked by `JSONSyntax`, then read once by `JSONDecoder`: the
/// envelope and the params of the method it names, as that method's `Params` type.
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

    /// Reads one line (without the `\n`).
    public func parse(_ line: Data) -> Outcome {
        guard line.contains(where: { !Self.isWhitespace($0) }) else { return .ignored }
        guard let strict = JSONSyntax.checked(line, maximumDepth: maximumDepth) else {
            return Self.problem(line, maximumDepth)
        }
        do {
            return try Self.decoder.decode(Message.self, from: strict).outcome
        } catch {
            return .invalid(.null, ErrorObject(.parseError, "parse error: the line is not valid JSON"))
        }
    }

    /// What is wrong with a line that is not valid JSON, checked in the order a client can best act on.
    private static func problem(_ line: Data, _ maximumDepth: Int) -> Outcome {
        guard String(validating: line, as: UTF8.self) != nil else {
            return .invalid(.null, ErrorObject(.parseError, "parse error: the line is not valid UTF-8"))
        }
        if NestingDepth.exceeds(line, limit: maximumDepth) {
            return .invalid(
                .null,
                ErrorObject(
                    .invalidRequest, "invalid request: JSON nested deeper than \(maximumDepth) levels",
                    data: ["limit": "maxDepth"]))
        }
        return .invalid(.null, ErrorObject(.parseError, "parse error: the line is not valid JSON"))
    }

    /// One decoder for every line: it holds only its options, and decoding does not change them.
    static let decoder = JSONDecoder()

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// The members of a message the server reads.
enum MessageKey: String, CodingKey {
    case jsonrpc, id, method, params, result, error
}

/// One line as the client sent it, each member read leniently so a wrong type becomes an answer.
private struct Message: Decodable {
    var outcome: MessageParser.Outcome

    init(from decoder: any Decoder) throws {
        guard let members = try? decoder.container(keyedBy: MessageKey.self) else {
            let batch = (try? decoder.unkeyedContainer()) != nil
            let problem = batch ? "batches are not supported" : "expected a JSON object"
            outcome = .invalid(.null, ErrorObject(.invalidRequest, "invalid request: \(problem)"))
            return
        }
        outcome = Self.outcome(members)
    }

    private static func outcome(_ members: KeyedDecodingContainer<MessageKey>) -> MessageParser.Outcome {
        let replyID: JSONRPCID
        var requestID: JSONRPCID?
        if members.contains(.id) {
            guard let id = Self.id(members) else {
                return .invalid(
                    .null, ErrorObject(.invalidRequest, "invalid request: id must be a string or an integer"))
            }
            replyID = id
            requestID = id
        } else {
            replyID = .null
        }
        if !members.contains(.method) && (members.contains(.result) || members.contains(.error)) { return .ignored }
        guard (try? members.decode(String.self, forKey: .jsonrpc)) == "2.0" else {
            return .invalid(replyID, ErrorObject(.invalidRequest, "invalid request: jsonrpc must be \"2.0\""))
        }
        guard let method = try? members.decode(String.self, forKey: .method) else {
            return .invalid(replyID, ErrorObject(.invalidRequest, "invalid request: method must be a string"))
        }
        let sent = members.contains(.params) && !((try? members.decodeNil(forKey: .params)) ?? false)
        if sent && !Self.isStructured(members) {
            return .invalid(
                replyID, ErrorObject(.invalidRequest, "invalid request: params must be an object or an array"))
        }
        let params = RPCMethods.byName[method].map { $0(sent ? members : nil) }
        return .request(Request(id: requestID, method: method, params: params))
    }

    /// A string, or an integer of up to 38 digits (what a `Decimal` holds exactly); `nil` for anything else.
    private static func id(_ members: KeyedDecodingContainer<MessageKey>) -> JSONRPCID? {
        if (try? members.decodeNil(forKey: .id)) == true { return .null }
        // A number first: most clients count their ids, and a failed decode is costly (its error is built in full).
        if let number = try? members.decode(Int64.self, forKey: .id) { return .number(number) }
        if let text = try? members.decode(String.self, forKey: .id) { return .string(text) }
        guard let digits = (try? members.decode(Decimal.self, forKey: .id))?.description, !digits.contains(".") else {
            return nil
        }
        return digits.utf8.count(where: { $0 != UInt8(ascii: "-") }) <= 38 ? .integer(digits) : nil
    }

    private static func isStructured(_ members: KeyedDecodingContainer<MessageKey>) -> Bool {
        (try? members.nestedContainer(keyedBy: MessageKey.self, forKey: .params)) != nil
            || (try? members.nestedUnkeyedContainer(forKey: .params)) != nil
    }
}

extension RPCMethod {
    /// Decodes this method's params from a request's members (absent or null params read as `{}`); a failure
    /// names the field and what is wrong with it, never the value sent.
    static func readParams(_ members: KeyedDecodingContainer<MessageKey>?) -> Swift.Result<any Sendable, ErrorObject> {
        do {
            if let members { return .success(try members.decode(Params.self, forKey: .params)) }
            return .success(try MessageParser.decoder.decode(Empty.Wrapped<Params>.self, from: Empty.wrapped).params)
        } catch let error as DecodingError {
            return .failure(ErrorObject(.invalidParams, Request.describe(error)))
        } catch let error as ErrorObject {
            return .failure(error)
        } catch {
            // JSONDecoder's own error for a number that does not fit its field, which it does not place.
            return .failure(ErrorObject(.invalidParams, "params: invalid value"))
        }
    }
}

extension Empty {
    /// `{"params":{}}`: absent params are decoded from it, so an error's path still begins `params`.
    fileprivate static let wrapped = Data(#"{"params":{}}"#.utf8)

    fileprivate struct Wrapped<Params: Decodable>: Decodable {
        var params: Params
    }
}
