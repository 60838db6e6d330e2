import NIOCore

/// Runs Swift tasks on a NIO event loop: a connection's requests run on the loop that reads and writes
/// its socket, so a turn needs no hop to another thread and back.
///
/// Each request is still its own job, queued behind the loop's I/O: reading never waits for a request,
/// and a request that awaits the store (SQLite, on its own threads) gives the loop back while it waits.
final class EventLoopExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
