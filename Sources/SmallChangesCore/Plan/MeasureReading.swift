import Foundation

/// Reads what kind of measure an answer names, and the unit it counts in, from its words.
///
/// Plain word matching, like `Extraction`: the kind and unit show in the plan, where the person can see them.
/// Saying the kind ("a balancing measure: overtime") always wins.
public enum MeasureReading {
    /// The kind of measure `text` names; outcome unless it sounds like doing the change or like a cost of it.
    public static func kind(of text: String) -> ChangePlan.MeasureKind {
        let lower = " " + text.lowercased() + " "
        for kind in ChangePlan.MeasureKind.allCases where lower.includes(" \(kind.rawValue)") {
            return kind
        }
        if balancingWords.contains(where: lower.includes) { return .balancing }
        if processWords.contains(where: lower.includes) { return .process }
        return .outcome
    }

    /// The unit a measure counts in, when the words say it: "%", "minutes", or the thing counted ("calls" in
    /// "how many calls").
    public static func unit(of text: String) -> String? {
        let lower = text.lowercased()
        let words = lower.split { !$0.isLetter && $0 != "%" && $0 != "-" }.map(String.init)
        if lower.includes("%") || words.contains("percent") || lower.includes("per cent") { return "%" }
        for (said, unit) in namedUnits where words.contains(said) { return unit }
        for (index, word) in words.enumerated() {
            let previous = index > 0 ? words[index - 1] : ""
            let counted =
                previous == "many" || (previous == "of" && index > 1 && words[index - 2] == "number")
                || (["count", "counting"].contains(previous))
            if counted, word.count > 3, word.hasSuffix("s"), !fillers.contains(word) { return word }
        }
        return nil
    }

    static let namedUnits: [(String, String)] = [
        ("minutes", "minutes"), ("mins", "minutes"), ("hours", "hours"), ("hrs", "hours"), ("days", "days"),
        ("score", "score"), ("scores", "score"),
    ]

    static let fillers: Set<String> = ["times", "ones", "others", "things", "lots"]

    static let balancingWords = [
        "worse", "would be bad", "complain", "overtime", "stay late", "staying late", "knock-on", "knock on",
        "side effect", "at the expense", "less useful", "fall behind", "falls behind", "slip", "deteriorat",
        "workload", "burnout", "sickness", "bounce", "won't trust", "goes up instead", "cost of",
    ]

    static let processWords = [
        " held", "huddles", "whether i ", "did i ", " attend", " filled in", " fill in", " completed", " used ",
        "times i ", " go on the ", " list each", "on time", " ran ", "spot check",
    ]
}
