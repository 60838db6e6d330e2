import Foundation

extension ChangePlan {
    /// What a written-out plan says about itself, above the plan: who, in what role, when, and where it stands.
    public struct About: Sendable, Equatable {
        public var created: CalendarDay?
        public var updated: CalendarDay?
        /// "finished", "Living · step 9 of 14", "adapted: cycle 2 running".
        public var status: String?

        public init(created: CalendarDay? = nil, updated: CalendarDay? = nil, status: String? = nil) {
            self.created = created
            self.updated = updated
            self.status = status
        }
    }

    /// The step id of the review-date question: its answer is kept among the check-ins (it is the check-in at
    /// which the cycle is studied) and shown on its own.
    public static let reviewDateStep = "review-date"

    /// The day set to review the plan, if one was asked and given.
    public var reviewDate: Entry? { checkIns.last { $0.asked == Self.reviewDateStep } }

    /// The check-ins with a partner, without the review date.
    public var partnerCheckIns: [Entry] { checkIns.filter { $0.asked != Self.reviewDateStep } }

    /// The role a person gave in their context ("I'm a staff nurse on a surgical ward" gives "staff nurse").
    public var role: String? {
        for entry in context {
            let lower = entry.text.lowercased()
            for lead in ["i'm a ", "i am a ", "i'm an ", "i am an ", "i work as a ", "i work as an "] {
                guard let start = lower.range(of: lead) else { continue }
                let rest = entry.text[start.upperBound...]
                let stops = [" on ", " in ", " at ", " for ", " with ", ",", ".", ";", " and "]
                let end = stops.compactMap { rest.range(of: $0)?.lowerBound }.min() ?? rest.endIndex
                let role = rest[..<end].trimmingCharacters(in: .whitespaces)
                if !role.isEmpty { return role }
            }
        }
        return nil
    }

    /// An aim with its target and date: "halve missed explanations (target: half; by: end of March, 2027-03-31)".
    static func aimLine(_ aim: Entry) -> String {
        var parts: [String] = []
        if let baseline = aim.baseline { parts.append("from: \(baseline)") }
        if let howMuch = aim.howMuch { parts.append("target: \(howMuch)") }
        if let byWhen = aim.byWhen { parts.append("by: \(dated(byWhen, aim.byDate))") }
        return aim.text + (parts.isEmpty ? "" : " (\(parts.joined(separator: "; ")))")
    }

    static func measureLine(_ measure: Entry) -> String {
        let about = [measure.kind?.rawValue, measure.unit].compactMap { $0 }
        return measure.text + (about.isEmpty ? "" : " (\(about.joined(separator: ", ")))")
    }

    static func whenLine(_ entry: Entry) -> String {
        var line = entry.text
        if let when = entry.when, entry.date != nil || entry.rhythm != nil {
            line += " (\(dated(when, entry.date))\(entry.rhythm.map { ", \($0.rawValue)" } ?? ""))"
        }
        return line
    }

    static func dated(_ words: String, _ day: CalendarDay?) -> String {
        guard let day else { return words }
        return words == day.description ? words : "\(words), \(day)"
    }

    /// The plan's key lines, for the top of an export: the change, the aim with its target and date, the
    /// measures, the prediction, the first step, the partner, the next check-in, the review date, and the cycle.
    public func summaryLines() -> [(label: String, text: String)] {
        var lines: [(String, String)] = []
        if let change = change.last { lines.append(("The change", change.text)) }
        if let aim = aim.last { lines.append(("Aim", Self.aimLine(aim))) }
        if !measures.isEmpty {
            lines.append(("Measures", measures.map(Self.measureLine).joined(separator: "; ")))
        }
        if let prediction = predictionsInForce.last { lines.append(("Prediction", prediction.text)) }
        if let step = steps.first { lines.append(("First step", Self.whenLine(step))) }
        if let partner = partner.last { lines.append(("Partner", partner.who ?? partner.text)) }
        if let checkIn = partnerCheckIns.last { lines.append(("Next check-in", Self.whenLine(checkIn))) }
        if let review = reviewDate { lines.append(("Review date", Self.whenLine(review))) }
        if let cycle = cycles.last {
            var text = "cycle \(cycle.number)"
            if let choice = cycle.decision?.choice {
                text += ": \(choice.rawValue)ed" + (choice == .adapt ? ", cycle \(cycle.number + 1) next" : "")
            }
            lines.append(("PDSA", text))
        }
        return lines
    }
}
