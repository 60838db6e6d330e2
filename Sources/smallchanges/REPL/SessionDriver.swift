import SmallChangesCore
import SmallChangesStore

/// What the chat REPL drives: a conversation run in this process (`LocalSession`) or one held by a
/// server and shared with a partner at another terminal (`RemoteSession`).
protocol SessionDriver {
    var id: SessionID { get }
    /// The question waiting for an answer; `nil` once the flow is finished.
    var prompt: Prompt? { get }
    var participants: [String] { get }
    var stands: String { get }
    var isFinished: Bool { get }
    /// The store behind `/sessions` and `/resume`; `nil` when they are not available here.
    var store: (any SessionStore)? { get }
    /// A descriptor that becomes readable when something arrives that the REPL should show while
    /// someone is typing (a partner's answer); `nil` when nothing ever arrives unasked.
    var arrivals: Int32? { get }
    /// True when the question is for a partner at another terminal, who is still connected.
    var waitingForPartner: Bool { get }
    /// The partner at another terminal, still connected, whom the question names; for a question to
    /// both, that is whoever the flow asks first. `nil` when it names this terminal's participant.
    var askedPartner: String? { get }

    mutating func answer(_ text: String) throws -> Reply
    mutating func perform(_ command: Command) throws -> Reply
    /// The plan as a document.
    mutating func render(_ format: PlanFormat) throws -> String
    /// Takes what has arrived since the last call, in order; with `wait`, blocks until something has.
    mutating func takeArrivals(wait: Bool) throws -> [Arrival]
    /// What to say on leaving: where the session is kept and how to pick it up.
    func leavingNotes(folder: DataFolder?) -> [String]
}

/// Something that happened in a shared session without this terminal asking.
enum Arrival {
    /// A partner's answer or command, and what the guide said back.
    case turn(speaker: String?, said: String, reply: Reply)
    case joined(String)
    case left(String)
}
