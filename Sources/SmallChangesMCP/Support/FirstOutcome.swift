import Synchronization

/// Resumes a continuation with whichever of several racing tasks finishes first; later outcomes are dropped.
///
/// `start` must be called before the racing tasks are created.
final class FirstOutcome<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, Never>?>(nil)

    func start(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func finish(_ value: Value) {
        let waiting = continuation.withLock { slot -> CheckedContinuation<Value, Never>? in
            defer { slot = nil }
            return slot
        }
        waiting?.resume(returning: value)
    }
}
