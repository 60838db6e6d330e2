import Foundation
import Logging
import Synchronization

/// What a server logged, kept in memory, so a test can wait for the event the server reports (a connection closed,
/// and why) instead of sleeping.
final class RecordedLog: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger that records here: each message with its metadata, as `message key=value ...`.
    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    /// Waits until a recorded line contains `text`, for at most `seconds`; whether one did.
    func waitFor(_ text: String, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if lines.withLock({ $0.contains { $0.contains(text) } }) { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    fileprivate func record(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) {
            let all = self.metadata.merging(metadata ?? [:]) { $1 }
            let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            log.record(([message.description] + pairs).joined(separator: " "))
        }
    }
}
