import Foundation
import Logging
import NIOCore
import SmallChangesCore
import SmallChangesStore
import Synchronization

@testable import SmallChangesServer

/// A protocol connection driven in memory: lines in, response objects out.
struct ProtocolHarness {
    let dispatcher: Dispatcher
    let store: InMemorySessionStore
    let configuration: ServerConfiguration

    init(
        configuration: ServerConfiguration = ServerConfiguration(), store: InMemorySessionStore = InMemorySessionStore()
    ) {
        self.init(configuration: configuration, store: store, serving: store)
    }

    /// A harness whose dispatcher commits through `controlled`, which a test can hold or make fail.
    init(configuration: ServerConfiguration = ServerConfiguration(), controlled: ControlledStore) {
        self.init(configuration: configuration, store: controlled.inner, serving: controlled)
    }

    private init(configuration: ServerConfiguration, store: InMemorySessionStore, serving: any SessionStore) {
        self.configuration = configuration
        self.store = store
        let ticks = TickingClock()
        self.dispatcher = Dispatcher(
            guide: TestGuide.shared, store: serving, configuration: configuration, logger: Logger(label: "test"),
            now: { ticks.next() })
    }

    /// Runs the lines through one connection to the end of input and returns every line written; `read`, when given,
    /// counts each line as the connection takes it.
    func run(
        _ lines: [String], face: Connection.Face = .stdio, read: LinesRead? = nil
    ) async -> (lines: [String], ending: Connection.Ending) {
        await run(events: lines.map { .line(ByteBuffer(string: $0)) }, face: face, read: read)
    }

    func run(events: [InboundEvent], face: Connection.Face = .stdio, read: LinesRead? = nil) async -> (
        lines: [String], ending: Connection.Ending
    ) {
        let connection = Connection(
            dispatcher: dispatcher, configuration: configuration, face: face, logger: Logger(label: "test"))
        let collected = Collected()
        let stream = AsyncStream { continuation in
            for event in events { continuation.yield(event) }
            continuation.finish()
        }
        let ending = await connection.run(
            events: stream.map { event in
                read?.add()
                return event
            }, output: collected)
        return (collected.lines, ending)
    }

    /// The lines to start a connection: `initialize` with id 0.
    static let initialize = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2026-11-22"}}"#
}

/// Decodes a response line into a dictionary.
func object(_ line: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
}

/// The response with this id among the lines.
func response(_ lines: [String], id: Int) -> [String: Any]? {
    lines.map(object).first { ($0["id"] as? Int) == id }
}

func errorCode(_ response: [String: Any]?) -> Int? {
    (response?["error"] as? [String: Any])?["code"] as? Int
}

/// A request line.
func requestLine(_ id: Int?, _ method: String, _ params: [String: Any]? = nil) -> String {
    var object: [String: Any] = ["jsonrpc": "2.0", "method": method]
    if let id { object["id"] = id }
    if let params { object["params"] = params }
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

/// How many input lines a connection has taken, so a test can wait for it to reach a line.
final class LinesRead: Sendable {
    private let count = Mutex(0)

    func add() { count.withLock { $0 += 1 } }

    var value: Int { count.withLock { $0 } }
}

/// Lines collected from the writer task.
final class Collected: LineOutput {
    private let storage = Mutex<[String]>([])
    func send(_ line: ByteBuffer) {
        append(String(buffer: line))
    }
    func append(_ line: String) {
        storage.withLock { $0.append(line.hasSuffix("\n") ? String(line.dropLast()) : line) }
    }
    var lines: [String] { storage.withLock { $0 } }
}

/// A clock that advances one second per reading, so stored times differ and tests repeat.
final class TickingClock: Sendable {
    private let seconds = Mutex(1_790_000_000.0)
    func next() -> Date {
        seconds.withLock { seconds in
            seconds += 1
            return Date(timeIntervalSince1970: seconds)
        }
    }
}
