extension ChangePlan {
    /// The plan as one printable HTML page: inline styles, no scripts, nothing fetched.
    public func html(title: String = "Change plan", gaps: [ReadinessGap]? = nil) -> String {
        func escape(_ text: String) -> String {
            var out = ""
            for character in text {
                switch character {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                default: out.append(character)
                }
            }
            return out
        }
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            body { font: 11pt/1.45 Georgia, serif; max-width: 46em; margin: 2em auto; color: #222; }
            h1 { font-size: 1.6em; border-bottom: 2px solid #333; }
            h2 { font-size: 1.15em; margin-top: 1.4em; border-bottom: 1px solid #bbb; }
            ul.details { color: #555; font-size: 0.92em; margin: 0.2em 0 0.6em; }
            li.gap::before { content: "\\2610  "; }
            ul.gaps { list-style: none; padding-left: 0.5em; }
            @media print { body { margin: 0; } }
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>

            """
        if !participants.isEmpty {
            out += "<p>Participants: \(escape(participants.joined(separator: ", ")))</p>\n"
        }
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
        let gaps = gaps ?? readiness()
        out += "<h2>Readiness</h2>\n"
        if gaps.isEmpty {
            out += "<p>Ready: every part of the plan is in place.</p>\n"
        } else {
            out += "<ul class=\"gaps\">\n"
            for gap in gaps { out += "<li class=\"gap\">\(escape(gap.problem))</li>\n" }
            out += "</ul>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }
}
