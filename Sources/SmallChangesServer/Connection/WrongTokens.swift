import Foundation
import Synchronization

/// The wrong tokens recently sent from each source address, shared by a TCP server's connections: past the limit,
/// `auth` from that address is refused unchecked until the minute has passed, so reconnecting buys no more tries.
final class WrongTokens: Sendable {
    private let limit: Int
    private let attempts = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether `source` may still have a token checked.
    func allows(_ source: String, now: ContinuousClock.Instant = .now) -> Bool {
        attempts.withLock { attempts in
            let recent = (attempts[source] ?? []).filter { now - $0 < .seconds(60) }
            attempts[source] = recent.isEmpty ? nil : recent
            return recent.count < limit
        }
    }

    /// Counts one wrong token from `source`.
    func count(_ source: String, now: ContinuousClock.Instant = .now) {
        attempts.withLock { $0[source, default: []].append(now) }
    }
}
