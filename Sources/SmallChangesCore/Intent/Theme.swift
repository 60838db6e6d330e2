/// The building block for bottom-up change that a barrier or idea touches most.
///
/// Raw values are the theme labels of `notes/routing-labels.md`; never rename them.
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
