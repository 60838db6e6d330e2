import Foundation

/// A request's id, echoed back unchanged in its response: a string or an integer, or null when the id
/// of a broken request could not be read.
public enum JSONRPCID: Hashable, Sendable, Codable, CustomStringConvertible {
    case string(String)
    case number(Int64)
    /// An integer beyond 64 bits, kept as the digits it was sent with (JSON-RPC allows any integer).
    case integer(String)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let string): try container.encode(string)
        case .number(let number): try container.encode(number)
        case .integer(let digits):
            // Decimal carries up to 38 digits exactly, and `JSONEncoder` writes it as a bare number.
            guard let decimal = Decimal(string: digits) else {
                throw EncodingError.invalidValue(digits, .init(codingPath: [], debugDescription: "not an integer"))
            }
            try container.encode(decimal)
        case .null: try container.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case .string(let string): "\"\(string)\""
        case .number(let number): String(number)
        case .integer(let digits): digits
        case .null: "null"
        }
    }
}
