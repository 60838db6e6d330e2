extension ChangePlan {
    /// The plan as one printable HTML page: inline styles and inline SVG charts, no scripts, nothing fetched.
    ///
    /// Laid out for supervision: the summary first, then the whole plan, the data with run charts, the cycles of
    /// review, what is still missing, and a space for notes on Study and Act. It prints on A4, and no list or
    /// chart is broken across a page.
    public func html(title: String = "Change plan", gaps: [ReadinessGap]? = nil, about: About? = nil) -> String {
        let escape = HTMLText.escape
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            @page { size: A4; margin: 18mm 16mm; }
            body { font: 11pt/1.45 Georgia, serif; max-width: 46em; margin: 2em auto; color: #222; }
            h1 { font-size: 1.6em; border-bottom: 2px solid #333; margin-bottom: 0.3em; }
            h2 { font-size: 1.15em; margin-top: 1.4em; border-bottom: 1px solid #bbb; break-after: avoid; }
            p.about { color: #444; margin: 0.2em 0; }
            section.summary { border: 1px solid #999; padding: 0.4em 1em; background: #f7f7f2; }
            section.summary dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0.4em 0; }
            section.summary dt { font-weight: bold; }
            section.summary dd { margin: 0; }
            ul.details { color: #555; font-size: 0.92em; margin: 0.2em 0 0.6em; }
            li.gap::before { content: "\\2610  "; }
            ul.gaps { list-style: none; padding-left: 0.5em; }
            figure.chart { margin: 0.8em 0; }
            figure.chart figcaption { font-size: 0.92em; color: #333; }
            svg.run-chart { width: 100%; height: auto; max-width: 640px; font-family: sans-serif; }
            section.notes .line { border-bottom: 1px solid #aaa; height: 2em; }
            ul, li, dl, figure, section.summary, section.notes { break-inside: avoid; page-break-inside: avoid; }
            @media print { body { margin: 0; max-width: none; } }
            </style>
            </head>
            <body>
            <section class="summary" id="summary">
            <h1>\(escape(title))</h1>

            """
        for line in headerLines(about) { out += "<p class=\"about\">\(escape(line))</p>\n" }
        let summary = summaryLines()
        if !summary.isEmpty {
            out += "<dl>\n"
            for line in summary { out += "<dt>\(escape(line.label))</dt><dd>\(escape(line.text))</dd>\n" }
            out += "</dl>\n"
        }
        out += "</section>\n"
        for section in sections(title: title) {
            out += "<h2>\(escape(section.title))</h2>\n<ul>\n"
            for line in section.lines {
                out += "<li>\(escape(line.text))"
                if !line.details.isEmpty {
                    out += "<ul class=\"details\">"
                    for detail in line.details { out += "<li>\(escape(detail))</li>" }
                    out += "</ul>"
                }
                out += "</li>\n"
            }
            out += "</ul>\n"
        }
        let charted = chartedMeasures
        if !charted.isEmpty {
            out += "<h2>Data</h2>\n"
            for (_, measure) in charted {
                let chart = RunChart(values: (measure.values ?? []).map(\.value))
                out += "<figure class=\"chart\">\n\(svgChart(measure))\n"
                out += "<figcaption>\(escape(chartTitle(measure))). \(escape(chart.verdict))</figcaption>\n</figure>\n"
            }
        }
        let gaps = gaps ?? readiness()
        out += "<h2>Readiness</h2>\n"
        if gaps.isEmpty {
            out += "<p>Ready: every part of the plan is in place.</p>\n"
        } else {
            out += "<ul class=\"gaps\">\n"
            for gap in gaps { out += "<li class=\"gap\">\(escape(gap.problem))</li>\n" }
            out += "</ul>\n"
        }
        out += "<section class=\"notes\">\n<h2>Notes (Study and Act)</h2>\n"
        out += String(repeating: "<div class=\"line\"></div>\n", count: 8)
        out += "</section>\n</body>\n</html>\n"
        return out
    }
}
