import Foundation

/// Runs the built `smallchanges` executable, as a person or a script would.
enum Binary {
    /// The package root, found from this file's path.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The executable built beside the test bundle.
    static let executable: URL = {
        let candidates = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            root.appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("smallchanges")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/smallchanges")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the executable with `arguments`, feeding `input` on stdin, in a fresh data folder; `executable` and
    /// `folder` run another copy of it, from another folder.
    static func run(
        _ arguments: [String], input: String = "", environment: [String: String] = [:], executable: URL = executable,
        folder: URL = root
    ) throws -> Result {
        let (process, stdin, stdout, stderr) = Self.process(arguments, environment: environment)
        process.executableURL = executable
        process.currentDirectoryURL = folder
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    /// The binary, not yet started, with a pipe on each of stdin, stdout and stderr.
    static func process(
        _ arguments: [String], environment: [String: String] = [:]
    ) -> (process: Process, stdin: Pipe, stdout: Pipe, stderr: Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = Self.environment(environment)
        let pipes = (stdin: Pipe(), stdout: Pipe(), stderr: Pipe())
        process.standardInput = pipes.stdin
        process.standardOutput = pipes.stdout
        process.standardError = pipes.stderr
        return (process, pipes.stdin, pipes.stdout, pipes.stderr)
    }

    /// A state folder of this test run's own, so the guide the binary keeps there is neither the person's nor
    /// another run's.
    static let stateFolder: URL = FileManager.default.temporaryDirectory.appendingPathComponent(
        "smallchanges-e2e-state-\(UUID().uuidString)")

    /// The environment the binary runs in: this process's, without colour, history or another data folder, with
    /// the run's own state folder, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SMALLCHANGES_ROOT"] = nil
        environment["XDG_STATE_HOME"] = stateFolder.path
        environment["NO_COLOR"] = "1"
        environment["SMALLCHANGES_NOHISTORY"] = "1"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smallchanges-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
