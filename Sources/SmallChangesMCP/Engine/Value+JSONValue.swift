import MCP
import SmallChangesServer

extension Value {
    /// The same JSON as an MCP value, every string kept a string.
    ///
    /// swift-sdk's `Value` decoder turns any string shaped like a data URL (`data:…,…`) into bytes, and encodes
    /// them back as base64: a person's words that begin "data: …, …" would come back changed. The engine's
    /// results are read with the server's own parser instead, and converted here.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let text): self = Int(text).map(Value.int) ?? .double(Double(text) ?? 0)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(Value.init))
        case .object(let members):
            // The last of a repeated key counts, as in `JSONValue`'s subscript.
            self = .object(Dictionary(members.map { ($0.key, Value($0.value)) }, uniquingKeysWith: { $1 }))
        }
    }
}
