public import Foundation
public import NIOCore

/// Writes responses as single JSON lines ending in `\n`, keys sorted so a line's bytes are stable.
public struct ResponseEncoder: Sendable {
    public init() {}

    /// The line for a successful result; a result that cannot be encoded (a number that is not finite) is
    /// answered as an internal error instead.
    public func success<Result: Codable & Sendable>(id: JSONRPCID, result: Result) -> ByteBuffer {
        encode(RPCResponse(id: id, result: result))
            ?? failure(id: id, error: ErrorObject(.internalError, "internal error: the result could not be encoded"))
    }

    /// The line for an error.
    public func failure(id: JSONRPCID, error: ErrorObject) -> ByteBuffer {
        // An ErrorObject always encodes; the fallback keeps the type total.
        encode(RPCResponse(id: id, error: error))
            ?? ByteBuffer(
                string: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}"# + "\n")
    }

    /// The line for a notification the server sends: a request without `id`, never answered.
    public func notification<Params: Codable & Sendable>(method: String, params: Params) -> ByteBuffer? {
        encode(RPCNotification(method: method, params: params))
    }

    private func encode(_ value: some Encodable) -> ByteBuffer? {
        guard var data = try? Self.shared.encode(value) else { return nil }
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }

    /// One encoder for every line: it holds only its options, and encoding does not change them.
    private static let shared = encoder()

    /// The one encoder setting for the wire: sorted keys, slashes as they are, dates in ISO 8601.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
