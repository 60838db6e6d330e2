import Foundation
import SmallChangesServer

/// Calls the dispatcher one request at a time, as a client waiting for each answer would.
struct DirectClient {
    let dispatcher: Dispatcher
    private let parser = MessageParser(maximumDepth: 64)

    /// Sends one request and returns its response object.
    func call(_ method: String, _ params: [String: Any]? = nil, id: Int = 1) async -> [String: Any] {
        guard case .request(let request) = parser.parse(Data(requestLine(id, method, params).utf8)),
            let line = await dispatcher.handle(request)
        else { return [:] }
        return object(String(buffer: line).trimmingCharacters(in: .newlines))
    }

    func result(_ method: String, _ params: [String: Any]? = nil) async -> [String: Any] {
        await call(method, params)["result"] as? [String: Any] ?? [:]
    }
}
