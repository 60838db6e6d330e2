import Foundation
import SmallChangesTesting
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Bytes a process wrote, collected as they arrive, until the end of the stream.
final class ArrivingOutput: Sendable {
    private let data = Mutex((bytes: Data(), ended: false))
    /// Adds what arrived; nothing arriving is the end of the stream.
    func append(_ more: Data) {
        data.withLock {
            if more.isEmpty { $0.ended = true } else { $0.bytes.append(more) }
        }
    }
    var text: String { data.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
    /// Whether the end of the stream has been read: nothing more will arrive.
    var ended: Bool { data.withLock { $0.ended } }
}

/// A running `smallchanges` process whose output is collected as it arrives.
final class RunningProcess {
    private let process: Process
    private let input: FileHandle
    private let output = ArrivingOutput()
    private let errors = ArrivingOutput()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let (process, stdin, stdout, stderr) = Binary.process(arguments, environment: environment)
        self.process = process
        self.input = stdin.fileHandleForWriting
        let output = self.output
        let errors = self.errors
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.append(data)
            if data.isEmpty { handle.readabilityHandler = nil }
        }
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            errors.append(data)
            if data.isEmpty { handle.readabilityHandler = nil }
        }
        try process.run()
    }

    var stdout: String { output.text }
    var stderr: String { errors.text }

    /// Writes lines to stdin; `close` ends the input after them.
    func write(_ text: String, close: Bool) throws {
        input.write(Data(text.utf8))
        if close { try input.close() }
    }

    /// Waits until `text` shows up on stdout or stderr, for at most `seconds`.
    func waitFor(_ text: String, seconds: Double = 90) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if stdout.contains(text) || stderr.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Waits for the process to end, for at most `seconds`; returns its status, or nil if it did not end.
    func exit(within seconds: Double = 60) async throws -> Int32? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else { return nil }
        // Its last output read to the end of both streams.
        while !(output.ended && errors.ended) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }

    func stop() {
        if process.isRunning { process.terminate() }
    }

    /// Kills the process with SIGKILL, as a crash would, and waits for it to be gone.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

@Suite(.serialized) struct TwoTerminalPairTests {
    static let ana = [
        "every family should feel listened to", "done", "we never have time to talk as a team", "done",
        "a fifteen minute team catch-up on Monday mornings", "start a Monday morning team catch-up",
        "hold the catch-up every week until Easter and cut missed messages by half",
        "count the messages that get missed each week", "people will be unsure for the first week",
        "on Monday I'll book the room and tell the team", "every other Friday at 12",
        "we'll each report on our own change and the other asks one hard question", "put it in the team calendar",
    ]
    static let ben = [
        "staff should be trusted to use their judgement", "done", "every new idea has to go through three managers",
        "done", "ask my manager if I can try it for two weeks without sign-off",
        "try a two-week trial of deciding small things in the team",
        "make three team decisions without escalating by the end of March",
        "count how many decisions we make ourselves", "my manager will be nervous at first and then relax",
        "on Tuesday I'll email my manager with the trial plan", "write it into our team agreement",
    ]

    @Test func pairAndJoinAtTwoTerminalsEachSeeTheOthersAnswersAndStoreOneSession() async throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try RunningProcess(["serve", "--tcp", "--port", "0", "--data-dir", data.path])
        defer { server.stop() }
        #expect(try await server.waitFor("listening on"))
        let port = try #require(
            server.stderr.split(separator: ":").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })

        let ana = try RunningProcess(["pair", "--server", port, "--with", "Ben"])
        defer { ana.stop() }
        try ana.write((["Ana"] + Self.ana).map { $0 + "\n" }.joined(), close: true)
        #expect(try await ana.waitFor("The code works once"))
        let code = try #require(
            ana.stdout.split(separator: "\n").first { $0.contains("smallchanges join") }?
                .split(separator: " ").dropFirst(2).first.map(String.init))

        let ben = try RunningProcess(["join", code, "--server", port])
        defer { ben.stop() }
        try ben.write(Self.ben.map { $0 + "\n" }.joined(), close: true)
        #expect(try await ben.exit() == 0, "ben: \(ben.stderr)")
        #expect(try await ana.exit() == 0, "ana: \(ana.stderr)")

        // Each sees the other's answers, in the order they were given.
        for (terminal, partner, answers) in [(ana.stdout, "Ben", Self.ben), (ben.stdout, "Ana", Self.ana)] {
            let heard = terminal.split(separator: "\n").compactMap { line -> String? in
                let prefix = "  \(partner): "
                return line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : nil
            }
            // Ana may answer her first question before Ben has joined: he sees everything after that.
            let said = answers.filter { $0 != "done" }
            let seen = heard.filter { $0 != "done" }
            #expect(seen.count >= said.count - 1 && Array(said.suffix(seen.count)) == seen, "\(partner)'s answers")
            #expect(terminal.contains("(finished)"))
        }
        #expect(!ana.stdout.contains("not your turn") && !ben.stdout.contains("not your turn"))

        // One stored session, with answers by both.
        server.stop()
        _ = try await server.exit()
        let listing = try Binary.run(["sessions", "--data-dir", data.path])
        #expect(listing.stdout.split(separator: "\n").filter { $0.hasPrefix("s-") }.count == 1)
        let plan = try Binary.run(["export", "latest", "--format", "json", "--output", "-", "--data-dir", data.path])
        #expect(plan.stdout.contains("\"speaker\" : \"Ana\""))
        #expect(plan.stdout.contains("\"speaker\" : \"Ben\""))
        #expect(plan.stdout.contains("write it into our team agreement"))
    }

    @Test func joinWithAWrongCodeSaysSoAndExitsWithOne() async throws {
        let server = try RunningProcess(["serve", "--tcp", "--port", "0", "--store", "memory"])
        defer { server.stop() }
        #expect(try await server.waitFor("listening on"))
        let port = try #require(
            server.stderr.split(separator: ":").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        let ben = try RunningProcess(["join", "AAAA-AAAA", "--server", port])
        try ben.write("", close: true)
        #expect(try await ben.exit() == 1)
        #expect(ben.stderr.contains("could not join: join refused"))
    }
}
