import Foundation
import SmallChangesTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The REPL on a disk that fills up, through the binary, on a 2 MiB tmpfs (mounting one needs root; the test is
/// skipped elsewhere).
@Suite(.enabled(if: getuid() == 0, "mounting a tmpfs needs root")) struct FullDiskTests {
    @Test func anAnswerThatCannotBeSavedKeepsThePersonOnTheSameQuestionAndTheExitSaysSo() throws {
        let mount = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: mount) }
        guard Self.shell("mount -t tmpfs -o size=2m tmpfs '\(mount.path)'") == 0 else {
            Issue.record("could not mount a tmpfs at \(mount.path)")
            return
        }
        defer { _ = Self.shell("umount '\(mount.path)'") }
        let data = mount.appendingPathComponent("data")
        let first = try Binary.run(
            ["chat", "--flow", "reflect", "--data-dir", data.path],
            input: "We never have time to think because caseloads are too high\n")
        #expect(first.status == 0, "\(first.stderr)")
        let listed = try Binary.run(["sessions", "--json", "--data-dir", data.path])
        let id = try #require(
            (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["id"] as? String)

        // The REPL opens the store and asks; only then does the disk fill up.
        let (process, stdin, stdout, _) = Binary.process(["resume", id, "--data-dir", data.path])
        try process.run()
        let question = "How might you get round"
        var shown = Data()
        while !String(decoding: shown, as: UTF8.self).contains(question) {
            let more = stdout.fileHandleForReading.availableData
            if more.isEmpty { break }
            shown += more
        }
        let filler = mount.appendingPathComponent("filler")
        #expect(Self.shell("dd if=/dev/zero of='\(filler.path)' bs=4k 2>/dev/null") != 0)
        stdin.fileHandleForWriting.write(
            Data("Block half an hour on Friday mornings so the team can reflect together\n".utf8))
        try stdin.fileHandleForWriting.close()
        shown += stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: shown, as: UTF8.self)

        #expect(process.terminationStatus == 1, "\(output)")
        #expect(output.contains("Not saved"), "\(output)")
        #expect(output.contains("disk"), "\(output)")
        #expect(output.contains("Not saved: your last answer"), "\(output)")
        // The question is asked again, and nothing after it.
        #expect(output.components(separatedBy: question).count - 1 >= 2, "\(output)")
        #expect(!output.contains("step 3 of 5"), "\(output)")

        try FileManager.default.removeItem(at: filler)
        let after = try Binary.run(["sessions", "--json", "--data-dir", data.path])
        let record = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any]
        #expect((record?["stage"] as? String)?.contains("step 2 of 5") == true, "\(after.stdout)")
    }

    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        do {
            try process.run()
        } catch {
            return -1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
