import Foundation
import MCP

/// A tool call's `arguments`, read field by field; a missing or mistyped field is a protocol error that names it.
struct ToolArguments {
    let values: [String: Value]
    /// Where the strings swift-sdk read as data URLs are kept as sent.
    let dataURLStrings: DataURLStrings?

    init(_ values: [String: Value]?, dataURLStrings: DataURLStrings? = nil) {
        self.values = values ?? [:]
        self.dataURLStrings = dataURLStrings
    }

    func string(_ key: String) throws(MCPError) -> String {
        guard let value = try optionalString(key) else { throw MCPError.invalidParams("arguments.\(key): missing") }
        return value
    }

    func optionalString(_ key: String) throws(MCPError) -> String? {
        switch values[key] {
        case nil, .null: return nil
        case .string(let text): return text
        case .data(let mimeType, let data): return try original(mimeType, data, key)
        default: throw MCPError.invalidParams("arguments.\(key): expected a string")
        }
    }

    /// A string swift-sdk read as a data URL, as the client sent it.
    private func original(_ mimeType: String?, _ data: Data, _ key: String) throws(MCPError) -> String {
        guard let text = dataURLStrings?.original(mimeType: mimeType, data: data) else {
            throw MCPError.invalidParams("arguments.\(key): a text shaped like a data URL could not be read")
        }
        return text
    }

    func optionalStrings(_ key: String) throws(MCPError) -> [String]? {
        switch values[key] {
        case nil, .null: return nil
        case .array(let items):
            var strings: [String] = []
            for item in items {
                switch item {
                case .string(let text): strings.append(text)
                case .data(let mimeType, let data): strings.append(try original(mimeType, data, key))
                default: throw MCPError.invalidParams("arguments.\(key): expected an array of strings")
                }
            }
            return strings
        default: throw MCPError.invalidParams("arguments.\(key): expected an array of strings")
        }
    }
}
