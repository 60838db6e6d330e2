/// A tiny fixed-seed pseudo-random generator (SplitMix64), so training shuffles the same way in every run.
///
/// The system generator is seeded from the clock and would make two matchers trained on the same examples differ.
package struct StableRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Shuffles the first `count` elements in place (Fisher-Yates), independent of the standard library's algorithm.
    package mutating func shuffle<T>(_ elements: inout [T], count: Int) {
        guard count > 1 else { return }
        for index in stride(from: count - 1, to: 0, by: -1) {
            let other = Int(next() % UInt64(index + 1))
            elements.swapAt(index, other)
        }
    }
}
