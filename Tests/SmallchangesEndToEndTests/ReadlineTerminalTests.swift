import Foundation
import SmallChangesTesting
import Testing

/// The REPL in a real pseudo-terminal (GNU readline), driven by pexpect: Ctrl-C drops only the typed line,
/// ↑ brings it back, Tab completes commands, Ctrl-D leaves, and the history file keeps commands only.
@Suite struct ReadlineTerminalTests {
    @Test func theTerminalREPLBehavesAsPeopleExpect() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Binary.root.appendingPathComponent("Tests/repl/repl_tty.py").path, Binary.executable.path,
            Binary.root.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("ok"))
    }
}
