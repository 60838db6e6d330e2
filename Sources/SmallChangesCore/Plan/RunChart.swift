import Foundation

/// A run chart's reading of a series of values in time order: the median, and the signals the run-chart rules
/// find in it (NHS "measurement for improvement" and IHI guidance).
///
/// - A **shift** is six or more consecutive points on one side of the median; a point on the median neither
///   breaks a run nor counts in it.
/// - A **trend** is five or more consecutive points all rising or all falling; a point equal to the one before
///   neither breaks a trend nor counts in it.
/// - With fewer than ten points the median moves too much to trust, so the rules are not applied.
public struct RunChart: Sendable, Equatable {
    /// Fewer points than this and the rules are not applied.
    public static let minimumPoints = 10
    public static let shiftLength = 6
    public static let trendLength = 5

    /// Which way a run goes.
    public enum Direction: String, Sendable, Equatable {
        case above, below, rising, falling
    }

    /// A run of points the rules flag, by position in the series (both ends included).
    public struct Run: Sendable, Equatable {
        public var first: Int
        public var last: Int
        public var direction: Direction
        /// How many points count in it (points on the median, or repeating the one before, do not).
        public var points: Int

        public init(first: Int, last: Int, direction: Direction, points: Int) {
            self.first = first
            self.last = last
            self.direction = direction
            self.points = points
        }
    }

    public let values: [Double]
    /// The median of all the values; `nil` with none.
    public let median: Double?
    public let shifts: [Run]
    public let trends: [Run]

    public init(values: [Double]) {
        self.values = values
        median = Self.median(of: values)
        guard values.count >= Self.minimumPoints, let median else {
            shifts = []
            trends = []
            return
        }
        shifts = Self.shifts(in: values, median: median)
        trends = Self.trends(in: values)
    }

    /// Whether there are enough points for the rules.
    public var hasEnoughPoints: Bool { values.count >= Self.minimumPoints }

    static func median(of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func shifts(in values: [Double], median: Double) -> [Run] {
        var runs: [Run] = []
        var current: Run?
        func close() {
            if let run = current, run.points >= shiftLength { runs.append(run) }
            current = nil
        }
        for (index, value) in values.enumerated() where value != median {
            let side: Direction = value > median ? .above : .below
            if current?.direction == side {
                current?.last = index
                current?.points += 1
            } else {
                close()
                current = Run(first: index, last: index, direction: side, points: 1)
            }
        }
        close()
        return runs
    }

    static func trends(in values: [Double]) -> [Run] {
        var runs: [Run] = []
        var current: Run?
        var previous: (index: Int, value: Double)?
        func close() {
            if let run = current, run.points >= trendLength { runs.append(run) }
            current = nil
        }
        for (index, value) in values.enumerated() {
            guard let before = previous else {
                previous = (index, value)
                continue
            }
            if value == before.value { continue }
            let way: Direction = value > before.value ? .rising : .falling
            if current?.direction == way {
                current?.last = index
                current?.points += 1
            } else {
                close()
                current = Run(first: before.index, last: index, direction: way, points: 2)
            }
            previous = (index, value)
        }
        close()
        return runs
    }

    /// What the rules show, in a sentence or two: "6 points in a row below the median (weeks 5 to 10): a
    /// shift." or "12 points, no shift or trend: so far the changes look like everyday variation."
    public var verdict: String {
        guard hasEnoughPoints else {
            return
                "\(values.count) point\(values.count == 1 ? "" : "s") so far: the run-chart rules need at least "
                + "\(Self.minimumPoints), so it is too early to call a shift or a trend."
        }
        var said: [String] = []
        for run in shifts {
            said.append(
                "\(run.points) points in a row \(run.direction.rawValue) the median (points \(run.first + 1) to "
                    + "\(run.last + 1)): a shift.")
        }
        for run in trends {
            said.append(
                "\(run.points) points in a row \(run.direction.rawValue) (points \(run.first + 1) to \(run.last + 1)): "
                    + "a trend.")
        }
        if said.isEmpty {
            return "\(values.count) points, no shift or trend: so far the ups and downs look like everyday variation."
        }
        return said.joined(separator: " ")
    }

    /// A figure as it is shown: whole numbers without a decimal point, others to two places at most.
    public static func figure(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
