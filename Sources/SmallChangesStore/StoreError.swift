public import SmallChangesCore

/// A storage problem, told in the user's terms: what went wrong, where, and what to do about it.
///
/// The cases live in a private enum so new ones can be added without breaking callers; match on
/// ``code`` to tell them apart. Descriptions never include what anyone wrote in a session.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Which kind of problem this is, for callers that react differently (a protocol error code, an exit code).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case unknownSession, ambiguousID, malformedID, sessionExists, newerSchema, busy, unreadableFolder, io
            case diskFull, moved
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No session has the given id.
        public static let unknownSession = Code(.unknownSession)
        /// A typed prefix matches more than one session.
        public static let ambiguousID = Code(.ambiguousID)
        /// The typed text cannot be a session id, so it was never looked up.
        public static let malformedID = Code(.malformedID)
        /// A session with this id is already stored.
        public static let sessionExists = Code(.sessionExists)
        /// The data was written by a newer SmallChanges.
        public static let newerSchema = Code(.newerSchema)
        /// Another SmallChanges process held the data for too long.
        public static let busy = Code(.busy)
        /// The data folder cannot be used safely.
        public static let unreadableFolder = Code(.unreadableFolder)
        /// Reading or writing failed.
        public static let io = Code(.io)
        /// The disk is full: nothing of this write was saved.
        public static let diskFull = Code(.diskFull)
        /// Another process changed the session since it was read: nothing was written; read it again.
        public static let moved = Code(.moved)

        public var description: String { value.rawValue }
    }

    private enum Kind: Equatable, Sendable {
        case unknownSession(String)
        case ambiguousID(String, matches: Int)
        case malformedID(String)
        case sessionExists(SessionID)
        case newerSchema(found: String, supported: String)
        case busy(String)
        case unreadableFolder(path: String, reason: String)
        case io(String)
        case diskFull(String)
        case moved(SessionID)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// No session has this id.
    public static func unknownSession(_ id: SessionID) -> StoreError { StoreError(.unknownSession(id.rawValue)) }

    /// No session id starts with what was typed.
    package static func noMatch(_ typed: String) -> StoreError { StoreError(.unknownSession(shown(typed))) }

    /// More than one session id starts with what was typed.
    package static func ambiguousID(_ typed: String, matches: Int) -> StoreError {
        StoreError(.ambiguousID(shown(typed), matches: matches))
    }

    /// The typed text cannot be a session id.
    public static func malformedID(_ typed: String) -> StoreError { StoreError(.malformedID(shown(typed))) }

    /// A session with this id is already stored.
    public static func sessionExists(_ id: SessionID) -> StoreError { StoreError(.sessionExists(id)) }

    /// The database holds migrations this program does not know.
    ///
    /// - Parameters:
    ///   - found: the newest schema version in the database.
    ///   - supported: the newest schema version this program knows.
    public static func newerSchema(found: String, supported: String) -> StoreError {
        StoreError(.newerSchema(found: found, supported: supported))
    }

    /// Another process kept the database locked for longer than the wait allows.
    public static func busy(path: String) -> StoreError { StoreError(.busy(path)) }

    /// The data folder cannot be used safely.
    public static func unreadableFolder(path: String, reason: String) -> StoreError {
        StoreError(.unreadableFolder(path: path, reason: reason))
    }

    /// Reading or writing failed; `detail` says what and where, never with session text.
    public static func io(_ detail: String) -> StoreError { StoreError(.io(detail)) }

    /// The disk holding `path` is full.
    public static func diskFull(path: String) -> StoreError { StoreError(.diskFull(path)) }

    /// Another process added turns to the session since this one read it; nothing was written.
    public static func moved(_ id: SessionID) -> StoreError { StoreError(.moved(id)) }

    public var code: Code {
        switch kind {
        case .unknownSession: .unknownSession
        case .ambiguousID: .ambiguousID
        case .malformedID: .malformedID
        case .sessionExists: .sessionExists
        case .newerSchema: .newerSchema
        case .busy: .busy
        case .unreadableFolder: .unreadableFolder
        case .io: .io
        case .diskFull: .diskFull
        case .moved: .moved
        }
    }

    public var description: String {
        switch kind {
        case .unknownSession(let id):
            "no session has the id \(id). List your sessions to see their ids."
        case .ambiguousID(let typed, let matches):
            "\(matches) sessions have ids starting with \(typed). Type more of the id."
        case .malformedID(let typed):
            "\(typed) is not a session id. Ids look like s-7k2m9q4xw3ha; list your sessions to see them."
        case .sessionExists(let id):
            "a session with the id \(id) is already stored. Start the session again to get a fresh id."
        case .newerSchema(let found, let supported):
            "the data was written by a newer SmallChanges (schema \(found); this program knows up to \(supported)). "
                + "Update SmallChanges, or use another data folder with --data-dir. Nothing was changed."
        case .busy(let path):
            "\(path) is in use by another SmallChanges process that did not finish within 5 seconds. "
                + "Wait for it to finish, or close it, then try again. This step was not saved; earlier ones are safe."
        case .unreadableFolder(let path, let reason):
            "cannot use the data folder \(path): \(reason)"
        case .io(let detail):
            detail
        case .diskFull(let path):
            "the disk holding \(path) is full. Free some space and try again; the last step was not saved."
        case .moved(let id):
            "another SmallChanges process changed the session \(id) meanwhile; this step was not saved. Try again."
        }
    }

    /// What the user typed, made safe to echo: quoted, control characters escaped, and cut short.
    private static func shown(_ typed: String) -> String {
        let limit = 40
        let cut = typed.count > limit ? String(typed.prefix(limit)) + "…" : typed
        return "\""
            + cut.unicodeScalars.map { scalar in
                [.control, .format].contains(scalar.properties.generalCategory) || scalar == "\"" || scalar == "\\"
                    ? scalar.escaped(asASCII: true) : String(scalar)
            }.joined() + "\""
    }
}
