import SmallChangesCore

/// Where a session stood, read from the words older stores kept ("Sparking · step 5 of 12", "3 gaps"), for the
/// migration that keeps numbers instead. The step's id was never kept: the stage is named again from the flow once
/// the session takes its next turn.
struct LegacyStanding {
    var position: SessionRecord.Position?
    var gaps: Int

    init(stage: String, readiness: String) {
        let words = stage.split(separator: " ")
        if let at = words.lastIndex(of: "of"), at >= 2, words[at - 2] == "step", let step = Int(words[at - 1]),
            at + 1 < words.count, let count = Int(words[at + 1])
        {
            position = SessionRecord.Position(stepID: nil, step: step, of: count)
        }
        gaps = Int(readiness.split(separator: " ").first ?? "") ?? 0
    }
}
