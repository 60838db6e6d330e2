import MCP

/// A tool call's `arguments`, read field by field; a missing or mistyped field is a protocol error that names it.
struct ToolArguments {
    let values: [String: Value]

    init(_ values: [String: Value]?) {
        self.values = values ?? [:]
    }

    func string(_ key: String) throws(MCPError) -> String {
        guard let value = try optionalString(key) else { throw MCPError.invalidParams("arguments.\(key): missing") }
        return value
    }

    func optionalString(_ key: String) throws(MCPError) -> String? {
        switch values[key] {
        case nil, .null: return nil
        case .string(let text): return text
        default: throw MCPError.invalidParams("arguments.\(key): expected a string")
        }
    }

    func optionalStrings(_ key: String) throws(MCPError) -> [String]? {
        switch values[key] {
        case nil, .null: return nil
        case .array(let items):
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw MCPError.invalidParams("arguments.\(key): expected an array of strings")
                }
                strings.append(text)
            }
            return strings
        default: throw MCPError.invalidParams("arguments.\(key): expected an array of strings")
        }
    }
}
