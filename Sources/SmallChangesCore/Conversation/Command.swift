/// A conversation command, given as `/name` in the REPL or `session/command` over the protocol.
public enum Command: Sendable, Equatable {
    /// Undo the last answer and ask its question again.
    case back
    /// Leave this question for now.
    case skip
    /// In a list question: nothing more to add.
    case done
    /// In a pair: the next answer is by this partner.
    case who(String)
    /// Reopens a question of the plan (`/edit aim`), finished or not.
    case edit(String)
    /// Sets the building block of the last barrier or idea (`/block leadership`).
    case block(String)

    /// Parses a command name and optional argument, as typed or sent.
    public init?(name: String, argument: String? = nil) {
        switch name.lowercased() {
        case "back", "undo": self = .back
        case "skip", "pass": self = .skip
        case "done": self = .done
        case "who":
            guard let argument, !argument.isEmpty else { return nil }
            self = .who(argument)
        case "edit":
            guard let argument, !argument.isEmpty else { return nil }
            self = .edit(argument)
        case "block":
            guard let argument, !argument.isEmpty else { return nil }
            self = .block(argument)
        default: return nil
        }
    }

    /// Whether the command named `name` needs an argument (`who` needs the partner's name), so a caller can say
    /// so rather than call it unknown.
    public static func needsArgument(_ name: String) -> Bool {
        ["who", "edit", "block"].contains(name.lowercased())
    }

    /// The command's name, as stored in the session's log.
    public var name: String {
        switch self {
        case .back: "back"
        case .skip: "skip"
        case .done: "done"
        case .who: "who"
        case .edit: "edit"
        case .block: "block"
        }
    }

    public var argument: String? {
        switch self {
        case .who(let name), .edit(let name), .block(let name): name
        case .back, .skip, .done: nil
        }
    }
}
