import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A descriptor NIO can own for stdio: a duplicate of a pipe, socket or terminal, or, for a regular file (which NIO
/// does not read), one end of a pipe a thread copies the file through (`serve < requests.jsonl > answers.jsonl`).
///
/// Always a duplicate, so NIO closing it at the end never frees descriptor 0 or 1 for something else to take.
struct FileRelay {
    let descriptor: CInt
    private let relay: Thread?
    private let done: DispatchSemaphore?

    /// A descriptor to read `source` from.
    static func readable(_ source: CInt) throws -> FileRelay {
        try make(source) { pipe in (read: pipe.read, relayFrom: source, relayTo: pipe.write) }
    }

    /// A descriptor to write to `destination`; call `finish()` once the channel has closed it.
    static func writable(_ destination: CInt) throws -> FileRelay {
        try make(destination) { pipe in (read: pipe.write, relayFrom: pipe.read, relayTo: destination) }
    }

    /// Waits until everything written has reached the file.
    func finish() {
        done?.wait()
    }

    private static func make(
        _ descriptor: CInt, ends: ((read: CInt, write: CInt)) -> (read: CInt, relayFrom: CInt, relayTo: CInt)
    ) throws -> FileRelay {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw POSIXError(.EBADF) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            let copy = dup(descriptor)
            guard copy >= 0 else { throw POSIXError(.EBADF) }
            return FileRelay(descriptor: copy, relay: nil, done: nil)
        }
        var pair: [CInt] = [0, 0]
        guard pipe(&pair) == 0 else { throw POSIXError(.EMFILE) }
        let (kept, from, to) = ends((pair[0], pair[1]))
        let done = DispatchSemaphore(value: 0)
        // The relay closes the pipe end it uses, never the caller's descriptor.
        let closing = from == descriptor ? to : from
        let relay = Thread {
            copy(from: from, to: to)
            close(closing)
            done.signal()
        }
        relay.start()
        return FileRelay(descriptor: kept, relay: relay, done: done)
    }

    private static func copy(from source: CInt, to destination: CInt) {
        let reader = FileHandle(fileDescriptor: source, closeOnDealloc: false)
        let writer = FileHandle(fileDescriptor: destination, closeOnDealloc: false)
        while let data = try? reader.read(upToCount: 64 << 10), !data.isEmpty {
            guard (try? writer.write(contentsOf: data)) != nil else { return }
        }
    }
}
