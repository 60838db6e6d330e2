import MCP

/// The results of answers taken in this run, by session and `client_msg_id`, so a retry gets the very result
/// the first call had. Bounded: past `capacity`, the oldest are forgotten (the on-disk log still stops a second
/// turn; the retry then gets where the session stands instead).
struct AnsweredResults: Sendable {
    struct Key: Hashable, Sendable {
        var session: String
        var message: String
    }

    private let capacity: Int
    private var results: [Key: Value] = [:]
    private var order: [Key] = []
    private var start = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(key: Key) -> Value? {
        results[key]
    }

    mutating func insert(_ result: Value, for key: Key) {
        if results.updateValue(result, forKey: key) != nil { return }
        order.append(key)
        if order.count - start > capacity {
            results[order[start]] = nil
            start += 1
            if start > capacity {
                order.removeFirst(start)
                start = 0
            }
        }
    }
}
