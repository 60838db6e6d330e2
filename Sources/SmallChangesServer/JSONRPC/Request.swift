import Foundation

/// A well-formed JSON-RPC request or notification, with its params still undecoded.
///
/// Each method decodes its own typed `Params` from the parsed `params` member.
public struct Request: Sendable {
    /// `nil` for a notification, which never gets a reply.
    public var id: JSONRPCID?
    public var method: String
    /// The `params` object or array; `nil` when the request had none.
    public var params: JSONValue?

    public init(id: JSONRPCID?, method: String, params: JSONValue?) {
        self.id = id
        self.method = method
        self.params = params
    }

    public var isNotification: Bool { id == nil }

    /// Decodes the request's params as `P`; absent params decode as an empty object.
    ///
    /// The error names the field and what was wrong with it, never the value sent.
    public func decodeParams<P: Decodable>(_: P.Type = P.self) throws(ErrorObject) -> P {
        do {
            return try JSONValueDecoder.decode(
                P.self, from: params ?? .object([]), codingPath: [JSONKey(stringValue: "params")])
        } catch let error as DecodingError {
            throw ErrorObject(.invalidParams, Self.describe(error))
        } catch let error as ErrorObject {
            throw error
        } catch {
            throw ErrorObject(.invalidParams, "params: invalid")
        }
    }

    /// Reads params of the shape sent on every turn straight from the parsed line; anything else is decoded the
    /// general way, which accepts the same values and names what is wrong.
    func readParams<P: Decodable & JSONValueReadable>(_: P.Type) throws(ErrorObject) -> P {
        if let params, let value = P(reading: params) { return value }
        return try decodeParams(P.self)
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
