import Foundation
public import NIOCore

/// Writes responses as single JSON lines ending in `\n`.
public struct ResponseEncoder: Sendable {
    public init() {}

    /// The line for a successful result.
    ///
    /// The results sent on every turn write themselves (``JSONWritable``); the rest go through `JSONEncoder`.
    public func success(id: JSONRPCID, result: some Encodable) -> ByteBuffer {
        if let result = result as? any JSONWritable, let line = Self.written(id: id, result: result) {
            return line
        }
        return encode(Success(id: id, result: result))
            ?? failure(id: id, error: ErrorObject(.internalError, "internal error: the result could not be encoded"))
    }

    /// The hand-written line for a result, or `nil` when the result must go through `JSONEncoder`.
    static func written(id: JSONRPCID, result: any JSONWritable) -> ByteBuffer? {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("id")
        writer.value(id)
        writer.key("jsonrpc")
        writer.rawValue("\"2.0\"")
        writer.key("result")
        guard result.write(to: &writer) else { return nil }
        writer.endObject()
        writer.newline()
        return writer.buffer
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
