import Foundation
import SmallChangesCore
import SmallChangesPostgres
import SmallChangesStore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A writer the store's crash tests kill mid-write: this test binary started again, in a child process that
/// runs only ``CrashWriterChild`` and appends answers to a data folder until it is killed.
///
/// The child is told what to write through the environment (``Role``). After each append has returned it
/// writes `ack <n>` to stdout, unbuffered, so the test knows exactly which answers were acknowledged before it
/// killed the process; the test library's own report goes to stderr.
struct CrashWriter {
    /// This test binary, and the arguments that make it run the writer's test alone.
    let executable: URL
    let arguments: [String]

    /// How long a writer may run before it is killed as hung.
    static let timeout: TimeInterval = 60

    /// What a child started as a writer is to do: take the most recently active session of `folder` (creating
    /// one if there is none) and append `count` answers, `answer-<n>` numbered on from its last turn, or with
    /// `tag`, `answer-<tag>-<n>` numbered from 1, so two writers can share a session.
    struct Role {
        static let folderVariable = "STORE_CRASH_WRITER_FOLDER"
        static let countVariable = "STORE_CRASH_WRITER_COUNT"
        static let tagVariable = "STORE_CRASH_WRITER_TAG"
        static let databaseVariable = "STORE_CRASH_WRITER_DATABASE"

        var folder: URL
        var count: Int
        var tag: String?
        /// A `postgres://` URL: write there, each answer under its client message id, instead of to `folder`.
        var database: String?

        /// The role this process was started in; `nil` in an ordinary test run.
        static let current: Role? = {
            let environment = ProcessInfo.processInfo.environment
            guard let folder = environment[folderVariable], let count = environment[countVariable].flatMap(Int.init)
            else { return nil }
            let url = URL(fileURLWithPath: folder, isDirectory: true)
            return Role(
                folder: url, count: count, tag: environment[tagVariable], database: environment[databaseVariable])
        }()

        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment[Self.folderVariable] = folder.path
            environment[Self.countVariable] = String(count)
            environment[Self.tagVariable] = tag
            environment[Self.databaseVariable] = database
            return environment
        }

        /// Appends the answers, acknowledging each on stdout once the store has returned.
        func write() throws {
            let store: any SessionStore =
                if let database {
                    try PostgresSessionStore(url: DatabaseURL(database))
                } else {
                    try SQLiteSessionStore(folder: DataFolder(url: folder))
                }
            var record: SessionRecord
            if let latest = try store.latest() {
                record = latest
            } else {
                let now = Date()
                record = SessionRecord(
                    id: SessionID.mint(), flow: "plan", participants: ["writer"], startedAt: now, lastActiveAt: now)
                try store.create(record)
            }
            let first = tag == nil ? try store.load(record.id).turns.count + 1 : 1
            for n in first..<(first + count) {
                let text = tag.map { "answer-\($0)-\(n)" } ?? "answer-\(n)"
                record.lastActiveAt = Date()
                record.position = SessionRecord.Position(stepID: nil, step: n, of: count)
                let routing = Routing(
                    intent: .idea, confidence: 0.5, alternatives: [.init(intent: .barrier, confidence: 0.25)])
                let turn = Turn(kind: .answer, text: text, at: record.lastActiveAt, routing: routing)
                if database != nil {
                    try store.append([turn], to: record.id, record: record, after: n - 1, key: text)
                } else {
                    try store.append(turn, to: record.id, record: record)
                }
                FileHandle.standardOutput.write(Data("ack \(n)\n".utf8))
            }
        }
    }

    /// This test binary: `/proc/self/exe` where there is one, else the path it was started by; a test bundle
    /// run by a helper (`--test-bundle-path`) is started the same way.
    static func locate() throws -> CrashWriter {
        let started = CommandLine.arguments
        var executable = URL(fileURLWithPath: started.first ?? "").resolvingSymlinksInPath()
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            executable = URL(fileURLWithPath: running)
        }
        var arguments: [String] = []
        if let index = started.firstIndex(of: "--test-bundle-path"), index + 1 < started.count {
            arguments += started[index...(index + 1)]
        }
        arguments += ["--testing-library", "swift-testing", "--filter", "CrashWriterChild"]
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            Issue.record("cannot start this test binary again: \(executable.path) is not executable")
            throw CocoaError(.fileNoSuchFile)
        }
        return CrashWriter(executable: executable, arguments: arguments)
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
            while seen < count, let line = readLine() {
                if line.hasPrefix("ack ") { seen += 1 }
            }
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
    func start(folder: URL, count: Int, tag: String? = nil, database: String? = nil, umask: String? = nil) throws
        -> Run
    {
        let process = Process()
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.environment = Role(folder: folder, count: count, tag: tag, database: database).environment
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
