/// The building block for bottom-up change that a barrier or idea touches most.
///
/// Raw values are the theme labels of `Prompts/themes.yaml` and of stored sessions; never rename them.
public enum Theme: String, CaseIterable, Codable, Sendable, Hashable {
    case leadership, collaboration, flexibility, resources, autonomy
    case statusQuo = "status_quo"
    case purpose, openness, development
    case bigPicture = "big_picture"
    case diversity

    /// The building block's name, as people say it.
    public var blockName: String {
        switch self {
        case .leadership: "inspiring and supportive leadership"
        case .collaboration: "collaborative working"
        case .flexibility: "flexibility and adaptability"
        case .resources: "smart use of resources"
        case .autonomy: "autonomy and trust"
        case .statusQuo: "challenging the status quo"
        case .purpose: "a call to action"
        case .openness: "an open culture"
        case .development: "nurturing our people"
        case .bigPicture: "seeing the bigger picture"
        case .diversity: "thought diversity"
        }
    }
}

extension Theme {
    /// The building block a person names in words: its label ("status_quo"), its name ("challenging the status
    /// quo") or a short form ("leadership", "big picture", "open culture", "trust", "training").
    public static func named(_ words: String) -> Theme? {
        let lower = words.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        for theme in allCases {
            if lower == theme.rawValue.replacingOccurrences(of: "_", with: " ") || lower.contains(theme.blockName) {
                return theme
            }
        }
        // Whole words only: "time" names resources, "timetable" does not.
        let words = " " + lower.split { !$0.isLetter }.joined(separator: " ") + " "
        for (theme, names) in spokenNames where names.contains(where: { words.contains(" \($0) ") }) {
            return theme
        }
        return nil
    }

    static let spokenNames: [(Theme, [String])] = [
        (.leadership, ["leadership", "leaders", "management", "managers"]),
        (.collaboration, ["collaboration", "collaborative", "working together", "teamwork"]),
        (.flexibility, ["flexibility", "flexible", "adaptability", "rigid"]),
        (.resources, ["resources", "resourcing", "time", "money", "staffing", "capacity"]),
        (.autonomy, ["autonomy", "trust", "permission"]),
        (.statusQuo, ["status quo", "always done it", "always been done"]),
        (.purpose, ["purpose", "call to action", "shared aim"]),
        (.openness, ["openness", "open culture", "sharing"]),
        (.development, ["development", "training", "supervision", "nurturing", "cpd"]),
        (.bigPicture, ["big picture", "bigger picture", "whole system"]),
        (.diversity, ["diversity", "different views", "different perspectives"]),
    ]
}
