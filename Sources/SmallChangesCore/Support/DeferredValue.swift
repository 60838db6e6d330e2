import Synchronization

/// A value made once, by the first caller that needs it: every caller gets that one value, and callers that ask
/// while it is being made wait for it.
///
/// What lets the program show its first question while the matcher is still being read: a thread may ask for the
/// value ahead of need (`prepare()` from the executable), and an answer that comes sooner simply waits.
final class DeferredValue<Value: Sendable>: Sendable {
    private enum State {
        case pending(@Sendable () -> Value)
        case ready(Value)
    }

    private let state: Mutex<State>

    /// A value already made.
    init(_ value: Value) {
        state = Mutex(.ready(value))
    }

    /// A value `make` makes on first use, on the thread that first asks.
    init(making make: @escaping @Sendable () -> Value) {
        state = Mutex(.pending(make))
    }

    /// The value, made now if no one has made it yet.
    var value: Value {
        state.withLock { state in
            switch state {
            case .ready(let value):
                return value
            case .pending(let make):
                let value = make()
                state = .ready(value)
                return value
            }
        }
    }
}
