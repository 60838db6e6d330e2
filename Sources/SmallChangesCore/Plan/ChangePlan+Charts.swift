import Foundation

/// Run charts of a plan's measures: a compact one for the terminal and inline SVG for the HTML page.
extension ChangePlan {
    /// The measures that have values, with their positions.
    public var chartedMeasures: [(index: Int, measure: Entry)] {
        measures.enumerated().filter { !($0.element.values ?? []).isEmpty }.map { ($0.offset, $0.element) }
    }

    /// The heading of a measure's chart: "Discharges explained · outcome · discharges".
    public func chartTitle(_ measure: Entry) -> String {
        ([measure.text] + [measure.kind?.rawValue, measure.unit].compactMap { $0 }).joined(separator: " \u{00B7} ")
    }

    /// For each point of a measure, the cycle whose start it is (cycle 1 at the first point, then each cycle at
    /// its first point on or after the day it started).
    func cycleMarks(_ points: [DataPoint]) -> [(point: Int, cycle: Int)] {
        guard !points.isEmpty else { return [] }
        var marks = [(point: 0, cycle: 1)]
        for start in cycleStarts {
            guard let index = points.firstIndex(where: { $0.day >= start.day }) else { continue }
            marks.removeAll { $0.point == index }
            marks.append((index, start.cycle))
        }
        return marks
    }

    /// A compact run chart for a terminal: one column per value, the median drawn across, each cycle's start
    /// marked under the axis, and what the run-chart rules show.
    public func textChart(_ measure: Entry, height: Int = 7) -> [String] {
        let points = measure.values ?? []
        guard !points.isEmpty else { return [] }
        let values = points.map(\.value)
        let chart = RunChart(values: values)
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        func row(_ value: Double) -> Int {
            high == low ? height / 2 : Int(((value - low) / (high - low) * Double(height - 1)).rounded())
        }
        let medianRow = chart.median.map(row)
        var labels = Array(repeating: "", count: height)
        if high != low {
            labels[height - 1] = RunChart.figure(high)
            labels[0] = RunChart.figure(low)
        }
        if let median = chart.median, let medianRow { labels[medianRow] = RunChart.figure(median) }
        let width = labels.map(\.count).max() ?? 1
        // Three columns a point while they fit in a terminal's width, then two, then one.
        let perPoint = points.count <= 24 ? 3 : points.count <= 36 ? 2 : 1
        let columns = points.count * perPoint
        var lines = [chartTitle(measure)]
        for level in stride(from: height - 1, through: 0, by: -1) {
            var cells = Array(repeating: level == medianRow ? "\u{2504}" : " ", count: columns)
            for (index, value) in values.enumerated() where row(value) == level {
                cells[index * perPoint + perPoint / 2] = "\u{25CF}"
            }
            let label = String(repeating: " ", count: width - labels[level].count) + labels[level]
            let axis = level == medianRow ? "\u{253C}" : "\u{2524}"
            var line = label + " " + axis + cells.joined()
            if level == medianRow { line += " median" }
            lines.append(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        let marks = cycleMarks(points)
        var axis = Array(repeating: "\u{2500}", count: columns)
        var names = Array(repeating: " ", count: columns + 4)
        for mark in marks {
            axis[mark.point * perPoint + perPoint / 2] = "\u{2534}"
            for (offset, character) in "C\(mark.cycle)".enumerated() {
                names[mark.point * perPoint + perPoint / 2 + offset] = String(character)
            }
        }
        let pad = String(repeating: " ", count: width + 1)
        lines.append(pad + "\u{2514}" + axis.joined())
        lines.append(
            (pad + " " + names.joined()).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        let span = points.count == 1 ? "\(points[0].day)" : "\(points[0].day) to \(points[points.count - 1].day)"
        lines.append(pad + " \(span) \u{00B7} \(points.count) value\(points.count == 1 ? "" : "s")")
        lines.append(chart.verdict)
        return lines
    }

    /// A run chart as inline SVG: one circle per value (with its day and figure as a tooltip), the median as a
    /// dashed line, each cycle's start as a labelled line; no scripts, nothing fetched.
    public func svgChart(_ measure: Entry) -> String {
        let points = measure.values ?? []
        guard !points.isEmpty else { return "" }
        let values = points.map(\.value)
        let chart = RunChart(values: values)
        let (width, height) = (640.0, 240.0)
        let (left, right, top, bottom) = (56.0, 24.0, 20.0, 44.0)
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        func x(_ index: Int) -> Double {
            points.count == 1
                ? (left + width - right) / 2
                : left + Double(index) * (width - left - right)
                    / Double(points.count - 1)
        }
        func y(_ value: Double) -> Double {
            high == low ? (top + height - bottom) / 2 : top + (high - value) / (high - low) * (height - top - bottom)
        }
        func n(_ value: Double) -> String { String(format: "%.1f", value) }
        let flagged = Set(
            (chart.shifts + chart.trends).flatMap { Array($0.first...$0.last) })
        let label = "Run chart of \(measure.text): \(points.count) values. \(chart.verdict)"
        var svg =
            "<svg class=\"run-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "role=\"img\" aria-label=\"\(HTMLText.escape(label))\">\n"
        svg += "<title>\(HTMLText.escape(label))</title>\n"
        let axisBottom = height - bottom
        svg +=
            "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(axisBottom))\" stroke=\"#444\"/>\n"
        svg +=
            "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(axisBottom))\" x2=\"\(n(width - right))\" y2=\"\(n(axisBottom))\" stroke=\"#444\"/>\n"
        svg +=
            "<text x=\"\(n(left - 6))\" y=\"\(n(y(high) + 4))\" text-anchor=\"end\" font-size=\"11\">\(RunChart.figure(high))</text>\n"
        if high != low {
            svg +=
                "<text x=\"\(n(left - 6))\" y=\"\(n(y(low) + 4))\" text-anchor=\"end\" font-size=\"11\">\(RunChart.figure(low))</text>\n"
        }
        if let median = chart.median {
            svg +=
                "<line class=\"median\" x1=\"\(n(left))\" y1=\"\(n(y(median)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(median)))\" "
                + "stroke=\"#1f6f8b\" stroke-dasharray=\"6 4\"/>\n"
            svg +=
                "<text class=\"median-label\" x=\"\(n(width - right))\" y=\"\(n(y(median) - 5))\" text-anchor=\"end\" "
                + "font-size=\"11\" fill=\"#1f6f8b\">median \(RunChart.figure(median))</text>\n"
        }
        for mark in cycleMarks(points) {
            let at = x(mark.point) - (mark.point == 0 ? 0 : (x(1) - x(0)) / 2)
            svg +=
                "<line class=\"cycle-start\" x1=\"\(n(at))\" y1=\"\(n(top))\" x2=\"\(n(at))\" y2=\"\(n(axisBottom))\" "
                + "stroke=\"#999\" stroke-dasharray=\"2 3\"/>\n"
            svg +=
                "<text class=\"cycle-label\" x=\"\(n(at + 3))\" y=\"\(n(top + 10))\" font-size=\"11\">Cycle \(mark.cycle)</text>\n"
        }
        let line = values.indices.map { "\(n(x($0))),\(n(y(values[$0])))" }.joined(separator: " ")
        svg += "<polyline class=\"run\" points=\"\(line)\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\"/>\n"
        for (index, point) in points.enumerated() {
            let fill = flagged.contains(index) ? "#c0392b" : "#222"
            svg +=
                "<circle class=\"point\" cx=\"\(n(x(index)))\" cy=\"\(n(y(point.value)))\" r=\"3.5\" fill=\"\(fill)\">"
                + "<title>\(point.day): \(RunChart.figure(point.value))</title></circle>\n"
        }
        svg += "<text x=\"\(n(left))\" y=\"\(n(height - 24))\" font-size=\"11\">\(points[0].day)</text>\n"
        if points.count > 1 {
            svg +=
                "<text x=\"\(n(width - right))\" y=\"\(n(height - 24))\" text-anchor=\"end\" font-size=\"11\">"
                + "\(points[points.count - 1].day)</text>\n"
        }
        svg += "</svg>"
        return svg
    }
}
