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

    func sections(title: String) -> [Section] {
        func lines(_ entries: [Entry]) -> [Line] { entries.map(line) }
        var result: [Section] = []
        func add(_ title: String, _ entries: [Entry]) {
            if !entries.isEmpty { result.append(Section(title: title, lines: lines(entries))) }
        }
        add("Context", context)
        add("What matters (principles)", principles)
        add("What gets in the way (barriers)", barriers)
        add("Ideas", ideas)
        add("The small change", change)
        add("Aim", aim)
        add("Measures", measures)
        add("Predictions", predictions)
        add("Steps", steps)
        add("Support", support)
        add("Accountability partner", partner)
        add("Check-ins", checkIns)
        add("How it lasts", sustain)
        for cycle in cycles {
            var cycleLines: [Line] = []
            cycleLines += cycle.happened.map { labelled("Do: what happened", $0) }
            cycleLines += cycle.learning.map { labelled("Study: what was learned", $0) }
            cycleLines += cycle.responses.map { labelled("Partner's response", $0) }
            if let decision = cycle.decision { cycleLines.append(labelled("Act", decision)) }
            cycleLines += cycle.next.map { labelled("Next cycle", $0) }
            if !cycleLines.isEmpty {
                result.append(Section(title: "PDSA cycle \(cycle.number): review", lines: cycleLines))
            }
        }
        return result
    }

    private func labelled(_ label: String, _ entry: Entry) -> Line {
        var result = line(entry)
        result.text = "\(label): \(result.text)"
        return result
    }

    private func line(_ entry: Entry) -> Line {
        var details: [String] = []
        if let speaker = entry.speaker, participants.count > 1 { details.append("said by \(speaker)") }
        if let theme = entry.theme { details.append("building block: \(theme.blockName)") }
        if let howMuch = entry.howMuch { details.append("how much: \(howMuch)") }
        if let byWhen = entry.byWhen { details.append("by when: \(byWhen)") }
        if let who = entry.who { details.append("who: \(who)") }
        if let when = entry.when { details.append("when: \(when)") }
        if let choice = entry.choice { details.append("decision: \(choice.rawValue)") }
        for way in entry.waysAround ?? [] { details.append("way around: \(way.text)") }
        if entry.words != entry.text { details.append("in your words: \u{201C}\(entry.words)\u{201D}") }
        return Line(text: entry.text, details: details)
    }

    /// The plan as a Markdown document, with a closing list of what is missing or weak.
    public func markdown(title: String = "Change plan", gaps: [ReadinessGap]? = nil) -> String {
        var out = "# \(title)\n\n"
        if !participants.isEmpty { out += "Participants: \(participants.joined(separator: ", "))\n\n" }
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
