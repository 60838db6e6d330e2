public import Foundation
import MCP
import Synchronization

/// Keeps strings shaped like data URLs intact through swift-sdk, both ways.
///
/// swift-sdk's `Value` decoder turns any string shaped like `data:…,…` into a MIME type and bytes, and encodes them
/// back as `data:MIME;base64,…`. Every request's params and every handler's result pass through `Value`, so a
/// person's words such as "data: we don't collect it, sadly" would reach a tool changed, and a result quoting them
/// would reach the client changed. The transport still has the lines as written: it remembers each such string in
/// a `tools/call` line under what the SDK makes of it, for the tool to look up; and a tool registers the strings of
/// its result, so the transport can put them back in the line it writes. Bounded: past `capacity` of each, the
/// oldest are forgotten.
public final class DataURLStrings: Sendable {
    private struct Key: Hashable {
        var mimeType: String
        var data: Data
    }

    private struct State {
        var incoming: [Key: String] = [:]
        var incomingOrder: [Key] = []
        /// The JSON literal the SDK writes for a string, and the literal of the string itself.
        var outgoing: [Data: Data] = [:]
        var outgoingOrder: [Data] = []
    }

    private static let marker = Data(#""data:"#.utf8)
    private let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    // MARK: Into the server

    /// Remembers the data-URL-shaped strings among a `tools/call` line's arguments, or in the content of an answer
    /// to the server's own request (a form the person filled in).
    func remember(line: Data) {
        // Most lines have none: skip the parse unless a string starts with `data:`.
        guard line.range(of: Self.marker) != nil,
            let message = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
        else { return }
        let fields: [String: Any]
        if message["method"] as? String == "tools/call", let params = message["params"] as? [String: Any],
            let arguments = params["arguments"] as? [String: Any]
        {
            fields = arguments
        } else if let result = message["result"] as? [String: Any], let content = result["content"] as? [String: Any] {
            fields = content
        } else {
            return
        }
        for value in fields.values {
            for text in (value as? [Any] ?? [value]).compactMap({ $0 as? String }) {
                guard let (mimeType, data) = Data.parseDataURL(text) else { continue }
                let key = Key(mimeType: mimeType, data: data)
                state.withLock { state in
                    if state.incoming.updateValue(text, forKey: key) == nil { state.incomingOrder.append(key) }
                    if state.incomingOrder.count > capacity {
                        state.incoming[state.incomingOrder.removeFirst()] = nil
                    }
                }
            }
        }
    }

    /// The string a client sent that swift-sdk read as this MIME type and data.
    func original(mimeType: String?, data: Data) -> String? {
        state.withLock { $0.incoming[Key(mimeType: mimeType ?? "text/plain", data: data)] }
    }

    // MARK: Out of the server

    /// Registers the data-URL-shaped strings in a result about to be handed to the SDK.
    func protect(_ value: Value) {
        switch value {
        case .string(let text):
            guard let (mimeType, data) = Data.parseDataURL(text),
                let changed = Self.literal(data.dataURLEncoded(mimeType: mimeType)), let original = Self.literal(text)
            else { return }
            state.withLock { state in
                if state.outgoing.updateValue(original, forKey: changed) == nil { state.outgoingOrder.append(changed) }
                if state.outgoingOrder.count > capacity {
                    state.outgoing[state.outgoingOrder.removeFirst()] = nil
                }
            }
        case .array(let items):
            items.forEach(protect)
        case .object(let members):
            members.values.forEach(protect)
        default:
            break
        }
    }

    /// The line with every string the SDK changed put back as it was.
    func restore(_ line: Data) -> Data {
        guard line.range(of: Self.marker) != nil else { return line }
        let replacements = state.withLock { $0.outgoing }
        var line = line
        for (changed, original) in replacements where line.range(of: changed) != nil {
            line = Self.replacing(changed, with: original, in: line)
        }
        return line
    }

    /// A string as the SDK writes it in a message.
    private static func literal(_ text: String) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try? encoder.encode(text)
    }

    private static func replacing(_ target: Data, with replacement: Data, in data: Data) -> Data {
        var result = Data()
        var rest = data[...]
        while let found = rest.range(of: target) {
            result.append(rest[rest.startIndex..<found.lowerBound])
            result.append(replacement)
            rest = rest[found.upperBound...]
        }
        result.append(rest)
        return result
    }
}
