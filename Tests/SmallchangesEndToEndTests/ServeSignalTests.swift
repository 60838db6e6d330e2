import Foundation
import SmallChangesTesting
import Testing

@Suite struct ServeSignalTests {
    /// SIGTERM while `serve` is still loading the guide (training the matcher) ends it with 0: nothing was in
    /// flight. Before the signal handling was installed first thing, the default action killed it (status 143).
    @Test func sigtermWhileTheGuideLoadsEndsServeWithZero() throws {
        let (process, stdin, stdout, stderr) = Binary.process(["serve", "--store", "memory", "--verbose"])
        try process.run()
        defer { try? stdin.fileHandleForWriting.close() }
        // From this line on the handling is in place; the guide takes tens of milliseconds more to load, so the
        // signal usually lands while it does (and if it lands later, serving must end with 0 all the same).
        var seen = ""
        while !seen.contains("loading the guide") {
            let data = stderr.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        #expect(seen.contains("loading the guide"))
        kill(process.processIdentifier, SIGTERM)
        // stdin stays open: only the signal may end it.
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("serve did not stop within 10 s of SIGTERM")
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(stdout.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }
}
