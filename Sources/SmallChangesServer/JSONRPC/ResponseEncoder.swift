import Foundation
public import NIOCore

/// Writes responses as single JSON lines ending in `\n`.
public struct ResponseEncoder: Sendable {
    public init() {}

    /// The line for a successful result.
    public func success(id: JSONRPCID, result: some Encodable) -> ByteBuffer {
        encode(Success(id: id, result: result))
            ?? failure(id: id, error: ErrorObject(.internalError, "internal error: the result could not be encoded"))
    }

    /// The line for an error.
    public func failure(id: JSONRPCID, error: ErrorObject) -> ByteBuffer {
        // An ErrorObject always encodes; the fallback keeps the type total.
        encode(Failure(id: id, error: error))
            ?? ByteBuffer(
                string: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}"# + "\n")
    }

    /// The line for a notification the server sends: a request without `id`, never answered.
    public func notification(method: String, params: some Encodable) -> ByteBuffer? {
        encode(Notification(method: method, params: params))
    }

    private func encode(_ value: some Encodable) -> ByteBuffer? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard var data = try? encoder.encode(value) else { return nil }
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }
}

private struct Success<Result: Encodable>: Encodable {
    var jsonrpc = "2.0"
    var id: JSONRPCID
    var result: Result
}

private struct Failure: Encodable {
    var jsonrpc = "2.0"
    var id: JSONRPCID
    var error: ErrorObject
}

private struct Notification<Params: Encodable>: Encodable {
    var jsonrpc = "2.0"
    var method: String
    var params: Params
}
