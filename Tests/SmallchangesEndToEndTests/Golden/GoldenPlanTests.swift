import Foundation
import SmallChangesTesting
import Testing

/// The answers in `reflect.answers`, played through `smallchanges serve`, give the plan in
/// `reflect.plan.json`. (That the REPL gives the same plan for the same answers is held by the end-to-end
/// `OneEngineTwoFacesTests`, which runs both faces.)
///
/// Lines starting with `/` are commands (`/skip`, `/back`, `/done`), as in the REPL. Set
/// `UPDATE_GOLDEN=1` to rewrite the plan file from the server's output; a missing plan file is a failure,
/// never written silently.
@Suite struct GoldenPlanTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let binary = Binary.executable

    @Test func answersPlayedThroughServeGiveTheGoldenPlan() throws {
        // This target depends on the executable, so a missing one is a broken build, never a reason to skip.
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary.path),
            "no smallchanges binary at \(Self.binary.path)")
        let answers = try String(contentsOf: Self.folder.appendingPathComponent("reflect.answers"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let plan = try Self.playThroughServe(flow: "reflect", answers: answers)
        let golden = Self.folder.appendingPathComponent("reflect.plan.json")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try plan.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(!plan.isEmpty, "the server exported no plan")
        #expect(plan == (try String(contentsOf: golden, encoding: .utf8)))
    }

    /// Runs `smallchanges serve --store memory`, answers every prompt with the next line (confirming with
    /// `yes` when asked), and returns `plan/export {format: json}`'s content.
    static func playThroughServe(flow: String, answers: [String]) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--store", "memory"]
        process.currentDirectoryURL = folder
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffered = Data()
        var id = 0
        func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
            id += 1
            let line = try JSONSerialization.data(withJSONObject: [
                "jsonrpc": "2.0", "id": id, "method": method, "params": params,
            ])
            input.fileHandleForWriting.write(line + Data("\n".utf8))
            while true {
                if let newline = buffered.firstIndex(of: 0x0A) {
                    let reply = buffered[..<newline]
                    buffered = Data(buffered[(newline + 1)...])
                    let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any] ?? [:]
                    if object["id"] as? Int == id { return object["result"] as? [String: Any] ?? [:] }
                    continue
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { throw CocoaError(.fileReadUnknown) }
                buffered += chunk
            }
        }
        _ = try call("initialize", [:])
        let started = try call("session/start", ["flow": flow])
        let sessionId = started["sessionId"] as? String ?? ""
        var reply: [String: Any] = [:]
        for answer in answers {
            if reply["needsConfirm"] as? Bool == true {
                reply = try call("session/answer", ["sessionId": sessionId, "text": "yes"])
            }
            if answer.hasPrefix("/") {
                reply = try call("session/command", ["sessionId": sessionId, "name": String(answer.dropFirst())])
            } else {
                reply = try call("session/answer", ["sessionId": sessionId, "text": answer])
            }
        }
        let export = try call("plan/export", ["sessionId": sessionId, "format": "json"])
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return export["content"] as? String ?? ""
    }
}
