import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `map`, with the elements transformed at the same time on the machine's cores; results keep the order of the
    /// elements, so a deterministic `transform` gives the same array on every run.
    ///
    /// Meant for a handful of independent, sizeable jobs (training the matcher's classifiers): each element is one
    /// unit of work, handed to the next free thread in order.
    package func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        let results = Mutex<[Result?]>([Result?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = transform(self[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.compactMap { $0 } }
    }
}
