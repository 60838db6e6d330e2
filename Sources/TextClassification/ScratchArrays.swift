/// Arrays filled through pointers on paths that run for every answer.
///
/// `Array(unsafeUninitializedCapacity:initializingWith:)` allocates through a standard-library function that
/// is never specialised, so each call looks its storage type up in the runtime's metadata cache (about 600
/// instructions, eight times an answer). These write into scratch memory (on the stack when it fits) and copy
/// what was written into an array allocated by specialised code: a copy of a few hundred bytes costs less.
enum ScratchArrays {
    /// The elements `body` writes into `capacity` slots of scratch memory; `body` returns how many it wrote.
    static func written<Element: BitwiseCopyable>(
        _: Element.Type, capacity: Int, _ body: (UnsafeMutableBufferPointer<Element>) -> Int
    ) -> [Element] {
        withUnsafeTemporaryAllocation(of: Element.self, capacity: capacity) { scratch in
            prefix(of: scratch, body(scratch))
        }
    }

    /// Two arrays written side by side, as long as each other: `body` returns how many elements it wrote.
    static func written<First: BitwiseCopyable, Second: BitwiseCopyable>(
        _: First.Type, _: Second.Type, capacity: Int,
        _ body: (UnsafeMutableBufferPointer<First>, UnsafeMutableBufferPointer<Second>) -> Int
    ) -> ([First], [Second]) {
        withUnsafeTemporaryAllocation(of: First.self, capacity: capacity) { first in
            withUnsafeTemporaryAllocation(of: Second.self, capacity: capacity) { second in
                let count = body(first, second)
                return (prefix(of: first, count), prefix(of: second, count))
            }
        }
    }

    private static func prefix<Element>(of scratch: UnsafeMutableBufferPointer<Element>, _ count: Int) -> [Element] {
        precondition(count <= scratch.count, "wrote past the scratch memory")
        return Array(UnsafeBufferPointer(rebasing: scratch[..<count]))
    }
}
