import Synchronization

/// Counts one connection's requests in flight: the read loop waits for a free slot before taking
/// the next request, and waits for zero before the connection ends.
final class InFlightLimit: Sendable {
    private struct State {
        var count = 0
        var waitingForSlot: [CheckedContinuation<Void, Never>] = []
        var waitingForZero: [CheckedContinuation<Void, Never>] = []
    }

    private let maximum: Int
    private let state = Mutex(State())

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Takes a slot, waiting while all are taken.
    func acquire() async {
        let acquired = state.withLock { state -> Bool in
            guard state.count < maximum else { return false }
            state.count += 1
            return true
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let acquiredNow = state.withLock { state -> Bool in
                if state.count < maximum {
                    state.count += 1
                    return true
                }
                state.waitingForSlot.append(continuation)
                return false
            }
            if acquiredNow { continuation.resume() }
        }
    }

    /// Gives a slot back, handing it straight to a waiter if there is one.
    func release() {
        let resumed: [CheckedContinuation<Void, Never>] = state.withLock { state in
            if !state.waitingForSlot.isEmpty {
                // The slot passes to the waiter: the count stays the same.
                return [state.waitingForSlot.removeFirst()]
            }
            state.count -= 1
            if state.count == 0 {
                defer { state.waitingForZero.removeAll() }
                return state.waitingForZero
            }
            return []
        }
        for continuation in resumed { continuation.resume() }
    }

    /// Returns once no request is in flight.
    func drained() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.count == 0 { return true }
                state.waitingForZero.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
