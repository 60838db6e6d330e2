import Dispatch

/// How long each part of start-up took, for the debug log: `files 0.1 ms, matcher read back 1.9 ms, ...`.
struct StartupTimings: CustomStringConvertible {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var laps: [(name: String, nanoseconds: UInt64)] = []

    /// Ends the part named `name`, begun when the previous one ended.
    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((name, now - last))
        last = now
    }

    var description: String {
        laps.map { "\($0.name) \(Double($0.nanoseconds / 1000) / 1000) ms" }.joined(separator: ", ")
    }
}
