public import SmallChangesCore

/// A store that several server processes share tells each about what the others changed: the seam between a
/// database's notifications and the server, which cannot otherwise see another process's turns.
public protocol SessionChangeFeed: Sendable {
    /// Starts calling `changed` for as long as the store is open, from a thread of the store's.
    func watch(_ changed: @escaping @Sendable (SessionChange) -> Void)
}

/// What changed in the store.
public enum SessionChange: Sendable, Equatable {
    /// Turns were committed to the session (by any process, this one too).
    case turns(SessionID)
    /// Someone took or left a seat in the session.
    case seats(SessionID)
    /// Notifications may have been missed (on start, after a reconnect, and now and then): anything may have changed.
    case anything
}
