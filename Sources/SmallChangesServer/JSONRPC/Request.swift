public import Foundation

/// A well-formed JSON-RPC request or notification, with its params still undecoded.
///
/// The line is kept whole so each method decodes its own typed `Params` from it, and nothing
/// else holds on to the client's words.
public struct Request: Sendable {
    /// `nil` for a notification, which never gets a reply.
    public var id: JSONRPCID?
    public var method: String
    /// The line the request came in, to decode `params` from.
    public var line: Data
    /// Whether the request carried a `params` object or array.
    public var hasParams: Bool
    /// The params, already decoded with the rest of the line for the methods sent on every turn, so
    /// the line is not parsed twice; `nil` otherwise, or when they did not decode (the error is then
    /// found again, and described, by `decodeParams`).
    var decodedParams: (any Sendable)?

    public init(id: JSONRPCID?, method: String, line: Data, hasParams: Bool) {
        self.id = id
        self.method = method
        self.line = line
        self.hasParams = hasParams
    }

    public var isNotification: Bool { id == nil }

    /// Decodes the request's params as `P`; absent params decode as an empty object.
    ///
    /// The error names the field and what was wrong with it, never the value sent.
    public func decodeParams<P: Decodable>(_: P.Type = P.self) throws(ErrorObject) -> P {
        if let decodedParams = decodedParams as? P { return decodedParams }
        do {
            if hasParams {
                guard let params = try JSONDecoder().decode(ParamsBox<P>.self, from: line).params else {
                    throw ErrorObject(.invalidParams, "params: missing")
                }
                return params
            }
            return try JSONDecoder().decode(P.self, from: Data("{}".utf8))
        } catch let error as ErrorObject {
            throw error
        } catch let error as DecodingError {
            throw ErrorObject(.invalidParams, Self.describe(error))
        } catch {
            throw ErrorObject(.invalidParams, "params: invalid")
        }
    }

    /// Says which field was wrong and how, in words that never quote the value.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = (codingPath + (key.map { [$0] } ?? [])).map { key in
                key.intValue.map { "[\($0)]" } ?? key.stringValue
            }
            return keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath, key)): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type)), got null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): invalid value"
        @unknown default:
            return "params: invalid"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        default: "a value of another type"
        }
    }
}

/// The `params` member of a request line.
private struct ParamsBox<P: Decodable>: Decodable {
    var params: P?
}
