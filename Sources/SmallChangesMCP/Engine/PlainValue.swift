import MCP

/// An MCP `Value` read from JSON with every string kept a string.
///
/// swift-sdk's `Value` decoder turns any string shaped like a data URL (`data:…,…`) into bytes, and encodes
/// them back as base64: a person's words that begin "data: …, …" would come back changed. The engine's
/// results are read through this type instead.
struct PlainValue: Codable, Sendable {
    var value: Value

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let bool = try? container.decode(Bool.self) {
            value = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            value = .int(int)
        } else if let double = try? container.decode(Double.self) {
            value = .double(double)
        } else if let string = try? container.decode(String.self) {
            value = .string(string)
        } else if let array = try? container.decode([PlainValue].self) {
            value = .array(array.map(\.value))
        } else {
            value = .object(try container.decode([String: PlainValue].self).mapValues(\.value))
        }
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}
