import NIOCore

/// Runs a connection's task on the event loop that does its I/O, as a task executor preference.
///
/// Without it, every line a connection reads wakes a thread of the concurrency pool, and the request it carries
/// then goes back to the event loop to run: two thread hops per request, which cost more than the protocol's own
/// work. With it, the read loop, the request and the write all run on the connection's one thread.
final class EventLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
