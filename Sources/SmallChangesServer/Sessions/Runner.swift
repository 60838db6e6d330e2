import Dispatch
package import NIOCore
package import NIOPosix

/// Where a request's work runs: a closure handed over runs soon, and never on the caller's stack (a session's
/// requests keep their order through `SessionRegistry`, which drains each session's queue in one place).
///
/// Requests run as plain closures, not as Swift tasks: a task per request cost more than the rest of the
/// protocol path around the engine (its allocation, a second block for its frames, its executor record).
/// Work that may wait on the store runs on the store's threads; the rest on the connection's event loop, queued
/// behind its I/O, so reading never waits for a request and a turn costs no thread hop.
package struct Runner: Sendable {
    /// Runs `work` soon, elsewhere or later on this thread, but never before returning.
    package let run: @Sendable (_ work: @escaping @Sendable () -> Void) -> Void

    package init(run: @escaping @Sendable (_ work: @escaping @Sendable () -> Void) -> Void) {
        self.run = run
    }

    /// On an event loop, queued behind its I/O.
    package static func loop(_ loop: any EventLoop) -> Runner {
        Runner { work in loop.execute(work) }
    }

    /// On a pool of threads that may block (the store's, for SQLite's commits). The work runs even when the pool
    /// is shutting down or stopped (then where the pool says, maybe at once): every request is answered.
    package static func threads(_ pool: NIOThreadPool) -> Runner {
        Runner { work in pool.submit { _ in work() } }
    }

    /// On Dispatch's shared threads: for requests handled in-process or over stdio, where no event loop reads.
    package static let shared = Runner { work in DispatchQueue.global().async(execute: work) }

    /// On the caller's stack, at once: for measuring the protocol path without a thread hop
    /// (`Dispatcher.handleInline`), as the server runs a request on the event loop that read it. Not for serving:
    /// the caller waits.
    package static let inline = Runner { work in work() }
}
