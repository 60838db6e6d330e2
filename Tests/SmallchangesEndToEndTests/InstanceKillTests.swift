import Foundation
import SmallChangesPostgres
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking JSON-RPC line client over TCP loopback: enough to talk to a `serve` process that may be killed.
final class LineClient {
    private let socket: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
        _ = try call("initialize", ["protocolVersion": "2026-11-22"])
    }

    deinit { close(socket) }

    /// Sends a request without waiting for its reply.
    func send(_ method: String, _ params: [String: Any]) throws {
        let request: [String: Any] = ["jsonrpc": "2.0", "id": nextID, "method": method, "params": params]
        nextID += 1
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(UInt8(ascii: "\n"))
        _ = line.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Sends a request and returns its reply's `result` (notifications in between are skipped).
    func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
        let id = nextID
        try send(method, params)
        while let line = readLine() {
            guard let reply = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                reply["id"] as? Int == id
            else { continue }
            guard let result = reply["result"] as? [String: Any] else {
                throw CocoaError(.coderInvalidValue, userInfo: ["reply": "\(reply)"])
            }
            return result
        }
        throw CocoaError(.fileReadUnknown)
    }

    private func readLine() -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }
}

/// Issue 17's check through the binary: two `serve --tcp` instances over one PostgreSQL database; one is killed
/// with SIGKILL mid-session, the client resumes on the other, and every acknowledged answer is there once.
@Suite(
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["SMALLCHANGES_TEST_DATABASE_URL"] != nil,
        "SMALLCHANGES_TEST_DATABASE_URL is unset: the tests across instances are skipped"))
struct InstanceKillTests {
    /// The test database, with a schema of this test's own as the search path.
    static let database: String = {
        let text = ProcessInfo.processInfo.environment["SMALLCHANGES_TEST_DATABASE_URL"] ?? ""
        let schema = (try? DatabaseURL(text).withFreshSchema())?.searchPath ?? "public"
        return text + (text.contains("?") ? "&" : "?") + "search_path=\(schema)"
    }()

    static func serve() async throws -> (RunningProcess, Int) {
        let url = Self.database
        let server = try RunningProcess(["serve", "--tcp", "--port", "0", "--store", url])
        #expect(try await server.waitFor("listening on", seconds: 60), "\(server.stderr)")
        let said = server.stderr
        let after = try #require(said.range(of: "listening on 127.0.0.1:")).upperBound
        let port = try #require(Int(said[after...].prefix { $0.isNumber }))
        return (server, port)
    }

    @Test func aClientResumesOnTheOtherInstanceAfterAKillAndEveryAcknowledgedAnswerIsThereOnce() async throws {
        var (doomed, doomedPort) = try await Self.serve()
        let (survivor, survivorPort) = try await Self.serve()
        var started = [doomed, survivor]
        // A failing round must not leave a server behind.
        defer { for server in started { server.stop() } }
        var client = try LineClient(port: doomedPort)
        let opened = try client.call("session/start", ["flow": "plan"])
        let session = try #require(opened["sessionId"] as? String)
        var acknowledged = 0
        let rounds = 20
        for round in 1...rounds {
            for _ in 0..<2 {
                acknowledged += 1
                _ = try client.call(
                    "session/answer",
                    ["sessionId": session, "text": "answer \(acknowledged)", "clientMsgId": "c-\(acknowledged)"])
            }
            // One more answer in flight when the instance dies: stored or not, the client cannot know.
            try client.send(
                "session/answer",
                ["sessionId": session, "text": "answer \(acknowledged + 1)", "clientMsgId": "c-\(acknowledged + 1)"])
            doomed.kill()

            client = try LineClient(port: survivorPort)
            let resumed = try client.call("session/resume", ["sessionId": session, "since": acknowledged])
            let missed = (resumed["turns"] as? [[String: Any]])?.count ?? 0
            #expect(missed <= 1, "round \(round): more than the answer in flight after what was acknowledged")
            _ = try client.call(
                "session/answer",
                ["sessionId": session, "text": "answer \(acknowledged + 1)", "clientMsgId": "c-\(acknowledged + 1)"])
            acknowledged += 1
            let stored = try client.call("session/get", ["sessionId": session])
            #expect(stored["turns"] as? Int == acknowledged, "round \(round): every answer once")

            if round < rounds {
                (doomed, doomedPort) = try await Self.serve()
                started.append(doomed)
                client = try LineClient(port: doomedPort)
            }
        }
    }
}
