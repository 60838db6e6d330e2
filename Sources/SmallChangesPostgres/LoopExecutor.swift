import NIOCore
import NIOPosix

/// Threads of the store's own, for its connections and its async work.
///
/// The store's callers block a thread while they wait for the database. When that thread is one of Swift's
/// cooperative threads (a test, or any async caller), or an event loop of NIO's shared group (a server that runs
/// store work where requests arrive), work queued behind it could wait for ever. So the store's connections run
/// on these event loops, and every task it starts prefers this executor: neither needs a thread a caller may block.
final class LoopExecutor: TaskExecutor {
    let group: MultiThreadedEventLoopGroup

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    }

    deinit {
        group.shutdownGracefully { _ in }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        group.next().execute { job.runSynchronously(on: executor) }
    }
}
