extension ChangePlan {
    /// A section of the plan as it is written out, shared by the Markdown and HTML renderings.
    struct Section {
        var title: String
        var lines: [Line]
    }

    /// One entry as it is written out: the main text and its details.
    struct Line {
        var text: String
        var details: [String]
    }

    /// The plan's sections, each item once: an idea that became the change is shown as the change, and a
    /// person's own words are shown once, beside the first item made from them, only where they differ.
    func sections(title: String) -> [Section] {
        var shownWords: Set<String> = []
        var result: [Section] = []
        func line(_ entry: Entry, label: String? = nil) -> Line {
            var result = self.line(entry, showWords: !shownWords.contains(entry.words))
            if entry.words != entry.text { shownWords.insert(entry.words) }
            if let label { result.text = "\(label): \(result.text)" }
            return result
        }
        func add(_ title: String, _ entries: [Entry]) {
            if !entries.isEmpty { result.append(Section(title: title, lines: entries.map { line($0) })) }
        }
        let chosen = Set(change.map(\.text))
        add("Context", context)
        add("What matters (principles)", principles)
        add("What gets in the way (barriers)", barriers)
        add("Ideas", ideas.filter { !chosen.contains($0.text) })
        add("The small change", change)
        add("Aim", aim)
        add("Measures", measures)
        add("Predictions", predictions)
        add("Steps", steps)
        add("Support", support)
        add("Accountability partner", partner)
        add("Check-ins", partnerCheckIns)
        add("Review date", reviewDate.map { [$0] } ?? [])
        add("How it lasts", sustain)
        for cycle in cycles {
            var cycleLines: [Line] = []
            cycleLines += cycle.happened.map { line($0, label: "Do: what happened") }
            cycleLines += cycle.learning.map { line($0, label: "Study: what was learned") }
            cycleLines += cycle.responses.map { line($0, label: "Partner's response") }
            if let decision = cycle.decision {
                cycleLines.append(line(decision, label: "Act" + (cycle.decided.map { " (\($0))" } ?? "")))
            }
            cycleLines += cycle.next.map { line($0, label: "Cycle \(cycle.number + 1) tries") }
            cycleLines += (cycle.predictions ?? []).map { line($0, label: "Cycle \(cycle.number + 1) prediction") }
            if !cycleLines.isEmpty {
                result.append(Section(title: "PDSA cycle \(cycle.number): review", lines: cycleLines))
            }
        }
        return result
    }

    private func line(_ entry: Entry, showWords: Bool) -> Line {
        var details: [String] = []
        if let speaker = entry.speaker, participants.count > 1 { details.append("said by \(speaker)") }
        if let theme = entry.theme { details.append("building block: \(theme.blockName)") }
        if let kind = entry.kind { details.append("kind: \(kind.rawValue)") }
        if let unit = entry.unit { details.append("unit: \(unit)") }
        if let values = entry.values, let last = values.last {
            details.append(
                "\(values.count) value\(values.count == 1 ? "" : "s") logged, latest \(RunChart.figure(last.value)) "
                    + "on \(last.day)")
        }
        if let howMuch = entry.howMuch { details.append("how much: \(howMuch)") }
        if let byWhen = entry.byWhen { details.append("by when: \(Self.dated(byWhen, entry.byDate))") }
        if let who = entry.who { details.append("who: \(who)") }
        if let when = entry.when { details.append("when: \(Self.dated(when, entry.date))") }
        if let choice = entry.choice, entry.text != choice.rawValue { details.append("decision: \(choice.rawValue)") }
        for way in entry.waysAround ?? [] { details.append("way around: \(way.text)") }
        if showWords, entry.words != entry.text { details.append("in your words: \u{201C}\(entry.words)\u{201D}") }
        return Line(text: entry.text, details: details)
    }

    /// The plan's data: each measure with values, as a terminal run chart and what the rules show.
    public func dataMarkdown() -> String {
        var out = ""
        for (_, measure) in chartedMeasures {
            out += "```\n" + textChart(measure).joined(separator: "\n") + "\n```\n\n"
            out +=
                "Values: "
                + (measure.values ?? []).map { "\($0.day) \(RunChart.figure($0.value))" }
                .joined(separator: "; ") + "\n\n"
        }
        return out
    }

    /// The plan as a Markdown document, with a closing list of what is missing or weak.
    ///
    /// It opens with who, when and where the plan stands, then the plan in brief, then the whole plan, its data
    /// with run charts, and the cycles of review.
    public func markdown(title: String = "Change plan", gaps: [ReadinessGap]? = nil, about: About? = nil) -> String {
        var out = "# \(title)\n\n"
        let header = headerLines(about)
        if !header.isEmpty { out += header.joined(separator: "  \n") + "\n\n" }
        let summary = summaryLines()
        if !summary.isEmpty {
            out += "## Summary\n\n"
            for line in summary { out += "- **\(line.label):** \(line.text)\n" }
            out += "\n"
        }
        let sections = sections(title: title)
        if sections.isEmpty { out += "_Nothing written yet._\n\n" }
        if let pair = sideBySide() { out += "## The two of you\n\n" + pair }
        for section in sections {
            out += "## \(section.title)\n\n"
            for line in section.lines {
                out += "- \(line.text)\n"
                for detail in line.details { out += "  - \(detail)\n" }
            }
            out += "\n"
        }
        let data = dataMarkdown()
        if !data.isEmpty { out += "## Data\n\n" + data }
        let gaps = gaps ?? readiness()
        out += "## Readiness\n\n"
        if gaps.isEmpty {
            out += "Ready: every part of the plan is in place.\n"
        } else {
            for gap in gaps { out += "- [ ] \(gap.problem)\n" }
        }
        return out
    }
}

extension ChangePlan {
    /// The lines under the title: who (and their role), when the plan was made and last changed, its status.
    public func headerLines(_ about: About?) -> [String] {
        var lines: [String] = []
        var who = participants.joined(separator: ", ")
        if let role { who += who.isEmpty ? "Role: \(role)" : " (\(role))" }
        if !who.isEmpty { lines.append(participants.isEmpty ? who : "Participants: \(who)") }
        if let about {
            let dates = [about.created.map { "created \($0)" }, about.updated.map { "updated \($0)" }]
                .compactMap { $0 }
            if !dates.isEmpty { lines.append(dates.joined(separator: " \u{00B7} ").capitalizedFirst) }
            if let status = about.status { lines.append("Status: \(status)") }
        }
        return lines
    }

    /// For a pair: the principles and barriers of each partner side by side, so differences show.
    public func sideBySide() -> String? {
        guard participants.count == 2 else { return nil }
        let (first, second) = (participants[0], participants[1])
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "\n", with: " ")
        }
        var out = ""
        for (title, entries) in [("What matters", principles), ("What gets in the way", barriers)] {
            let left = entries.filter { $0.speaker == first }
            let right = entries.filter { $0.speaker == second }
            guard !left.isEmpty || !right.isEmpty else { continue }
            out += "### \(title), side by side\n\n| \(cell(first)) | \(cell(second)) |\n| --- | --- |\n"
            for row in 0..<max(left.count, right.count) {
                func side(_ list: [Entry]) -> String {
                    guard row < list.count else { return "" }
                    let theme = list[row].theme.map { " (\($0.blockName))" } ?? ""
                    return cell(list[row].text + theme)
                }
                out += "| \(side(left)) | \(side(right)) |\n"
            }
            let shared = Set(left.compactMap(\.theme)).intersection(right.compactMap(\.theme))
            if title == "What gets in the way", !left.isEmpty, !right.isEmpty {
                out +=
                    shared.isEmpty
                    ? "\nYou see different barriers: no building block in common.\n\n"
                    : "\nBoth of you name barriers touching \(shared.map(\.blockName).sorted().joined(separator: ", ")).\n\n"
            } else {
                out += "\n"
            }
        }
        return out.isEmpty ? nil : out
    }
}

extension String {
    /// The text with its first letter in capitals.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
