import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the `store-crash-writer` executable that SwiftPM builds next to the test bundle.
struct CrashWriter {
    let executable: URL

    /// How long a writer may run before it is killed as hung.
    static let timeout: TimeInterval = 60

    /// Finds the writer in the products folder this test bundle was built into, whatever the scratch path.
    ///
    /// Looks beside the running test binary first (`/proc/self/exe`, `argv[0]`, the main bundle), so a
    /// `--scratch-path` build finds its own writer; then in `.build*/debug` folders of the package; the
    /// `STORE_CRASH_WRITER` environment variable overrides all of them.
    static func locate() throws -> CrashWriter {
        let name = "store-crash-writer"
        if let override = ProcessInfo.processInfo.environment["STORE_CRASH_WRITER"] {
            return CrashWriter(executable: URL(fileURLWithPath: override))
        }
        var folders: [URL] = []
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: running).deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let scratch = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.path)) ?? []
        for entry in scratch.sorted() where entry.hasPrefix(".build") {
            folders.append(packageRoot.appendingPathComponent(entry).appendingPathComponent("debug"))
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return CrashWriter(executable: candidate)
            }
        }
        Issue.record("store-crash-writer not found; looked in \(folders.map(\.path))")
        throw CocoaError(.fileNoSuchFile)
    }

    /// A running writer whose acknowledgements can be read line by line.
    final class Run {
        let process: Process
        private let output: FileHandle
        private let errors: Pipe
        private let exited = ExitFlag()
        private var buffer: [UInt8] = []
        private var ended = false
        /// The highest `n` of an `ack <n>` line read so far; 0 before the first.
        private(set) var lastAck = 0

        init(process: Process, output: FileHandle, errors: Pipe) {
            self.process = process
            self.output = output
            self.errors = errors
            // A writer that hangs (waiting on a lock, say) must fail the test, not stall it forever.
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + CrashWriter.timeout) { [exited] in
                if !exited.isSet { _ = Glibc.kill(pid, SIGKILL) }
            }
        }

        /// Reads acknowledgements until `count` more have arrived or the writer has closed its output.
        func awaitAcks(_ count: Int) {
            var seen = 0
            while seen < count, readLine() != nil { seen += 1 }
        }

        /// Kills the writer with SIGKILL, then reads every acknowledgement it wrote before dying.
        func kill() {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
            finish()
        }

        /// Reads to the end of the writer's output and waits for it to exit.
        func finish() {
            while readLine() != nil {}
            process.waitUntilExit()
            exited.set()
        }

        /// What the writer wrote to stderr; read after it has exited.
        var errorOutput: String {
            String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }

        private func readLine() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    if line.hasPrefix("ack "), let n = Int(line.dropFirst(4)) { lastAck = max(lastAck, n) }
                    return line
                }
                guard !ended else { return nil }
                // Not `availableData`: it traps when a signal (SIGCHLD) interrupts the read.
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = chunk.withUnsafeMutableBytes { read(output.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { ended = true } else { buffer += chunk[..<count] }
            }
        }
    }

    /// Starts the writer; `umask` runs it through `/bin/sh` with that umask first.
    func start(folder: URL, count: Int, tag: String? = nil, umask: String? = nil) throws -> Run {
        let process = Process()
        var arguments = [folder.path, String(count)] + (tag.map { [$0] } ?? [])
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", executable.path] + arguments
        } else {
            process.executableURL = executable
        }
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Run(process: process, output: output.fileHandleForReading, errors: errors)
    }
}

/// Whether a writer has been reaped, so the hang watchdog never signals a reused process id.
final class ExitFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }

    func set() { value.store(true, ordering: .sequentiallyConsistent) }
}

/// SplitMix64: a small seeded generator, so a failing crash round can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
