import Foundation
import SmallChangesTesting
import Testing

/// The REPL and the protocol are two faces of one engine: the same answers give the same plan.
@Suite struct OneEngineTwoFacesTests {
    /// A client of `smallchanges serve` over stdio, one request and one response line at a time.
    final class StdioClient {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        private var buffer = Data()
        private var nextID = 1

        init(dataDir: URL) throws {
            process.executableURL = Binary.executable
            process.arguments = ["serve", "--data-dir", dataDir.path]
            process.currentDirectoryURL = Binary.root
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Sends one request and returns its result object, skipping notifications.
        func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
            let id = nextID
            nextID += 1
            let request: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method, "params": params]
            var line = try JSONSerialization.data(withJSONObject: request)
            line.append(0x0A)
            input.fileHandleForWriting.write(line)
            while true {
                let message = try readLine()
                guard message["id"] as? Int == id else { continue }
                if let error = message["error"] { throw ClientError(description: "\(method) failed: \(error)") }
                return message["result"] as? [String: Any] ?? [:]
            }
        }

        func notify(_ method: String) {
            var line = (try? JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "method": method])) ?? Data()
            line.append(0x0A)
            input.fileHandleForWriting.write(line)
        }

        private func readLine() throws -> [String: Any] {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[(newline + 1)...])
                    guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                        throw ClientError(description: "stdout carried a line that is not a JSON object")
                    }
                    return object
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { throw ClientError(description: "the server closed stdout") }
                buffer.append(chunk)
            }
        }

        func close() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    struct ClientError: Error, CustomStringConvertible { let description: String }

    @Test(arguments: ["nurse-plan", "social-worker-unsure"])
    func theProtocolGivesTheSamePlanAsTheREPL(name: String) throws {
        let answers = try String(
            contentsOf: GoldenTranscriptTests.folder().appendingPathComponent("\(name).answers"), encoding: .utf8)
        let lines = answers.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }

        // The REPL face.
        let replData = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: replData) }
        _ = try Binary.run(["chat", "--flow", "plan", "--data-dir", replData.path], input: answers)
        let exported = try Binary.run(["export", "latest", "--format", "json", "-o", "-", "--data-dir", replData.path])
        let replPlan = try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? NSDictionary

        // The protocol face.
        let serverData = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: serverData) }
        let client = try StdioClient(dataDir: serverData)
        defer { client.close() }
        _ = try client.call(
            "initialize", ["protocolVersion": "2025-06-18", "clientInfo": ["name": "test", "version": "1"]])
        client.notify("initialized")
        let started = try client.call("session/start", ["flow": "plan"])
        let id = try #require(started["sessionId"] as? String)
        for line in lines {
            let reply = try client.call("session/answer", ["sessionId": id, "text": line])
            if reply["prompt"] == nil || reply["prompt"] is NSNull { break }
        }
        let result = try client.call("plan/get", ["sessionId": id])
        let serverPlan = result["plan"] as? NSDictionary

        #expect(replPlan != nil && serverPlan != nil)
        #expect(replPlan == serverPlan, "the plan over the protocol differs from the REPL's for \(name)")
    }
}
