import NIOCore
import NIOPosix

/// A task executor on a thread of its own, for the store's async work.
///
/// The store's callers block a thread while it waits for the database. When that thread is one of Swift's
/// cooperative threads (a test, or any async caller), work queued on the cooperative pool could wait behind it for
/// ever, so every task the store starts prefers this executor instead, and needs no cooperative thread to finish.
final class LoopExecutor: TaskExecutor {
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    deinit {
        group.shutdownGracefully { _ in }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
