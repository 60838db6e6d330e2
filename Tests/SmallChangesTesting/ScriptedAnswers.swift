/// Answers written once and played by many tests and by the benchmarks.
public enum ScriptedAnswers {
    /// A whole session of the reflect flow: what got in the way, an idea, the change, when, and how it will be
    /// measured.
    public static let reflect = [
        "We never have time to think because caseloads are too high",
        "Block half an hour on Friday mornings so the team can reflect together",
        "Try a Friday huddle where everyone shares one small win",
        "On Friday at 9am I will book the room and invite the team",
        "I will count how many people come and ask whether it helped",
    ]
}
