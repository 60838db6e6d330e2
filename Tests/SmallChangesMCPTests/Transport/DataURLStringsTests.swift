import Foundation
import MCP
import Testing

@testable import SmallChangesMCP

@Suite struct DataURLStringsTests {
    static let words = "data: we don't collect it, sadly"

    @Test func anArgumentTheSDKReadsAsADataURLIsFoundAsSent() throws {
        let strings = DataURLStrings()
        let line = try JSONSerialization.data(withJSONObject: [
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": ["name": "answer", "arguments": ["text": Self.words]],
        ])
        strings.remember(line: line)
        let decoded = try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(Self.words))
        guard case .data(let mimeType, let data) = decoded else {
            Issue.record("swift-sdk no longer reads these words as a data URL: DataURLStrings may go")
            return
        }
        #expect(strings.original(mimeType: mimeType, data: data) == Self.words)
    }

    @Test func aResultStringTheSDKRewritesIsPutBackInTheLineWritten() throws {
        let strings = DataURLStrings()
        let result: Value = ["items": [["text": .string(Self.words)]], "other": "kept"]
        strings.protect(result)
        // What swift-sdk writes: the result read back as a `Value`, then encoded.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let rewritten = try encoder.encode(JSONDecoder().decode(Value.self, from: encoder.encode(result)))
        #expect(rewritten != (try encoder.encode(result)))
        #expect(strings.restore(rewritten) == (try encoder.encode(result)))
    }
}
