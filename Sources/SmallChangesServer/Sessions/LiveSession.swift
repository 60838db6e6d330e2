import SmallChangesCore
import SmallChangesStore

/// A session held in memory: its handle on the store.
///
/// A class, so the registry and the request working on the session share one copy: a turn changes the
/// conversation in place instead of copying it out and back. Only the session's own jobs touch it, and
/// the registry runs those one at a time (`SessionRegistry`), which is what makes the unchecked
/// `Sendable` sound.
final class LiveSession: @unchecked Sendable {
    var handle: SessionHandle

    init(_ handle: SessionHandle) {
        self.handle = handle
    }

    var conversation: Conversation { handle.conversation }
    var record: SessionRecord { handle.record }
}
