import ArgumentParser
import BenchmarkSupport
import Dispatch
import Foundation

/// `bench-startup`: how long a person waits for the first question, beside how long a bare Swift
/// binary takes to print one line, measured in turns in the same run.
@main
struct BenchStartup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-startup",
        abstract: "Time from start to the first prompt, beside a bare Swift binary's first line.",
        discussion: """
            Starts 'smallchanges chat --no-save' (--flow) with stdin a pipe and times it until the first prompt \
            ('› ') is on its stdout; then, with --bare, the given binary until its first line. The two take \
            turns, after --warmup runs each, so both meet the same machine. Times the main package's release \
            build (swift build -c release) unless --binary names another; 'scripts/bare-swift.sh' builds a bare \
            binary (imports Foundation, prints one line) and prints its path: swift run -c release --package-path \
            Benchmarks bench-startup --bare "$(scripts/bare-swift.sh)".
            """
    )

    @Option(name: .long, help: "Timed runs of each binary.")
    var runs = 30

    @Option(name: .long, help: "Untimed runs of each first.")
    var warmup = 3

    @Option(name: .long, help: "The flow to start.")
    var flow = "plan"

    @Option(name: .long, help: "A binary to time beside ours, until its first line.")
    var bare: String?

    @Option(name: .long, help: "The smallchanges binary to time (default: the main package's release build).")
    var binary: String?

    func run() throws {
        let ours = try SmallchangesBinary.locate(binary)
        let chat = Subject(
            name: "smallchanges chat", executable: ours, arguments: ["chat", "--no-save", "--flow", flow],
            marker: Array("\u{203A} ".utf8))
        let subjects = [chat] + (bare.map { [Subject(name: "bare Swift", executable: URL(fileURLWithPath: $0))] } ?? [])
        var times = subjects.map { _ in [Double]() }
        for round in 0..<(warmup + max(1, runs)) {
            for (index, subject) in subjects.enumerated() {
                let milliseconds = try subject.time()
                if round >= warmup { times[index].append(milliseconds) }
            }
        }
        print("time to first output, \(max(1, runs)) runs each in turns after \(warmup) warm-up runs (ms):")
        print("  \("".padding(toLength: 18, withPad: " ", startingAt: 0))   median      min      p90")
        for (subject, samples) in zip(subjects, times) {
            let sorted = samples.sorted()
            print(
                "  \(subject.name.padding(toLength: 18, withPad: " ", startingAt: 0)) "
                    + [0.5, 0, 0.9].map { format(sorted.percentile($0)) }.joined(separator: " "))
        }
        if times.count == 2, times[1].sorted().percentile(0.5) > 0 {
            let ratio = times[0].sorted().percentile(0.5) / times[1].sorted().percentile(0.5)
            print("  first prompt / bare binary, medians: \(String(format: "%.1f", ratio))x")
        }
    }

    private func format(_ value: Double) -> String {
        String(format: "%8.2f", value)
    }

    /// A program timed from being started until `marker` (by default a newline) is on its stdout.
    struct Subject {
        var name: String
        var executable: URL
        var arguments: [String] = []
        var marker: [UInt8] = [UInt8(ascii: "\n")]

        /// Milliseconds from start to the marker; the program is then told to stop (stdin closed) and reaped.
        func time() throws -> Double {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            environment["SMALLCHANGES_NOHISTORY"] = "1"
            process.environment = environment
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            try process.run()
            var seen: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            let descriptor = output.fileHandleForReading.fileDescriptor
            var found = false
            while !found {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                seen += chunk[..<count]
                found =
                    seen.count >= marker.count
                    && (0...(seen.count - marker.count)).contains {
                        seen[$0..<($0 + marker.count)].elementsEqual(marker)
                    }
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            try? input.fileHandleForWriting.close()
            while output.fileHandleForReading.readData(ofLength: 65536).count > 0 {}
            process.waitUntilExit()
            guard found else { throw BenchmarkFailure("\(name) ended without printing its first output") }
            return elapsed
        }
    }
}
