/// The `error` member of a response: a code, a message that never quotes what the client sent, and
/// optional structured data.
public struct ErrorObject: Error, Codable, Sendable, Equatable {
    public var code: Int
    public var message: String
    public var data: [String: String]?

    public init(_ code: ErrorCode, _ message: String, data: [String: String]? = nil) {
        self.code = code.rawValue
        self.message = message
        self.data = data
    }
}
