public import Foundation
import Synchronization

/// Runs the built `smallchanges` executable, as a person or a script would.
public enum Binary {
    /// The package root (see ``PackageRoot``): the folder the binary runs in unless told otherwise.
    public static var root: URL { PackageRoot.url }

    /// The executable built beside the test bundle.
    public static let executable: URL = {
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

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs the executable with `arguments`, feeding `input` on stdin, in a fresh data folder; `executable` and
    /// `folder` run another copy of it, from another folder.
    ///
    /// stdin is written and stdout and stderr are read at the same time, each on a thread of its own, so a
    /// program that writes more than a pipe holds to one while the other is unread never waits for us.
    public static func run(
        _ arguments: [String], input: String = "", environment: [String: String] = [:], executable: URL = executable,
        folder: URL = root
    ) throws -> Result {
        let (process, stdin, stdout, stderr) = Self.process(arguments, environment: environment)
        process.executableURL = executable
        process.currentDirectoryURL = folder
        try process.run()
        let writer = stdin.fileHandleForWriting
        let written = Drained {
            writer.write(Data(input.utf8))
            try? writer.close()
            return Data()
        }
        let out = Drained(stdout.fileHandleForReading)
        let err = Drained(stderr.fileHandleForReading)
        _ = written.wait()
        let outData = out.wait()
        let errData = err.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The binary, not yet started, with a pipe on each of stdin, stdout and stderr.
    public static func process(
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
    public static let stateFolder: URL = FileManager.default.temporaryDirectory.appendingPathComponent(
        "smallchanges-e2e-state-\(UUID().uuidString)")

    /// The environment the binary runs in: this process's, without colour, history or another data folder, with
    /// the run's own state folder, plus `extra`.
    public static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SMALLCHANGES_ROOT"] = nil
        environment["XDG_STATE_HOME"] = stateFolder.path
        environment["NO_COLOR"] = "1"
        environment["SMALLCHANGES_NOHISTORY"] = "1"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// A new empty folder under the system's temporary folder.
    public static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smallchanges-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Blocking work on a thread of its own (not Dispatch's pool, which a test run with many binaries could fill),
/// whose result is waited for later.
private final class Drained: Sendable {
    private let result = Mutex<Data?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Reads `handle` to its end.
    convenience init(_ handle: FileHandle) {
        self.init { handle.readDataToEndOfFile() }
    }

    init(_ work: @escaping @Sendable () -> Data) {
        Thread.detachNewThread { [self] in
            let data = work()
            result.withLock { $0 = data }
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return result.withLock { $0 } ?? Data()
    }
}
