import Foundation
import SmallChangesTesting
import Testing

/// A server and the commands sharing one data folder, through the binary: what one process writes, the other
/// sees before it acts.
@Suite struct SharedDataFolderTests {
    static let initialize =
        #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2026-11-22"}}"# + "\n"

    static func request(_ id: Int, _ method: String, _ params: [String: String]) -> String {
        let object: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method, "params": params]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The response with this id, once the server has written it.
    static func response(_ id: Int, from server: RunningProcess) async throws -> [String: Any] {
        // Generous: starting the binary takes seconds on a loaded machine.
        #expect(try await server.waitFor(#""id":\#(id),"#, seconds: 120))
        let lines = server.stdout.split(separator: "\n").map(String.init)
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return try #require(objects.first { $0["id"] as? Int == id })
    }

    @Test func aServerStopsServingASessionDeletedByAnotherProcess() async throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try RunningProcess(["serve", "--data-dir", data.path])
        try server.write(Self.initialize + Self.request(1, "session/start", ["flow": "reflect"]), close: false)
        let started = try await Self.response(1, from: server)
        let id = try #require((started["result"] as? [String: Any])?["sessionId"] as? String)
        try server.write(
            Self.request(2, "session/answer", ["sessionId": id, "text": "We never have time to think"]), close: false)
        _ = try await Self.response(2, from: server)

        let deleted = try Binary.run(["delete", id, "--yes", "--data-dir", data.path])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        try server.write(Self.request(3, "session/get", ["sessionId": id]), close: true)
        let got = try await Self.response(3, from: server)
        #expect((got["error"] as? [String: Any])?["code"] as? Int == -32010, "\(got)")
        #expect(try await server.exit() == 0)
    }

    @Test func answersFromTheREPLAndAServerOnOneSessionAreAllStoredInOrder() async throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try RunningProcess(["serve", "--data-dir", data.path])
        try server.write(Self.initialize + Self.request(1, "session/start", ["flow": "reflect"]), close: false)
        let id = try #require(
            ((try await Self.response(1, from: server))["result"] as? [String: Any])?["sessionId"] as? String)
        let answers = [
            "We never have time to think because caseloads are too high",
            "Block half an hour on Friday mornings so the team can reflect together",
            "Try a Friday huddle where everyone shares one small win",
        ]
        try server.write(Self.request(2, "session/answer", ["sessionId": id, "text": answers[0]]), close: false)
        _ = try await Self.response(2, from: server)

        let repl = try Binary.run(["resume", id, "--data-dir", data.path], input: answers[1] + "\n")
        #expect(repl.status == 0, "\(repl.stderr)")

        try server.write(Self.request(3, "session/answer", ["sessionId": id, "text": answers[2]]), close: false)
        let third = try await Self.response(3, from: server)
        let stands = (third["result"] as? [String: Any])?["stands"] as? String
        try server.write(Self.request(4, "session/get", ["sessionId": id]), close: true)
        let got = try await Self.response(4, from: server)
        #expect((got["result"] as? [String: Any])?["turns"] as? Int == 3, "\(got)")
        #expect(try await server.exit() == 0)

        // The same answers at one keyboard end at the same place.
        let alone = try Binary.run(["chat", "--flow", "reflect", "--no-save"], input: answers.joined(separator: "\n"))
        #expect(stands.map { alone.stdout.contains($0) } == true, "\(stands ?? "none")\n\(alone.stdout)")
    }
}
