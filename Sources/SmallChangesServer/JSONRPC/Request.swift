import Foundation

/// A well-formed JSON-RPC request or notification, with its params read as its method's `Params`.
public struct Request: Sendable {
    /// `nil` for a notification, which never gets a reply.
    public var id: JSONRPCID?
    public var method: String
    /// The params as the method's `Params` type, or why they could not be read; `nil` for an unknown method.
    var params: Result<any Sendable, ErrorObject>?

    init(id: JSONRPCID?, method: String, params: Result<any Sendable, ErrorObject>?) {
        self.id = id
        self.method = method
        self.params = params
    }

    public var isNotification: Bool { id == nil }

    /// The request's params as `P`, its method's `Params` type; absent params read as an empty object.
    ///
    /// The error names the field and what was wrong with it, never the value sent.
    public func decodeParams<P: Decodable>(_: P.Type = P.self) throws(ErrorObject) -> P {
        switch params {
        case .success(let params as P): return params
        case .failure(let error): throw error
        default: throw ErrorObject(.internalError, "internal error: params of another method")
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
        case is [String: Any].Type: "an object"
        default: "a value of another type"
        }
    }
}
