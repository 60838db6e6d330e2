public import Foundation

/// One thing said in a session: the unit of the session's event log.
///
/// The plan is never stored on its own: it is derived by replaying the turns, so the log is the
/// single source of truth and replaying it always gives the same plan.
public struct Turn: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// Free text typed as an answer.
        case answer
        /// A conversation command (`back`, `skip`, `who`, …) given by name.
        case command
        /// A figure logged for a measure (`smallchanges log`): not an answer, so it needs no open question and
        /// "go back" never takes it away.
        case measurement
    }

    public var kind: Kind
    /// Who said it; `nil` in a session with one participant.
    public var speaker: String?
    /// The person's own words, or the command's name.
    public var text: String
    /// The command's argument (`/who Ana` has argument `Ana`).
    public var argument: String?
    public var at: Date
    /// How the answer was heard when it was said; replay uses this rather than routing again, so a
    /// newer matcher never rewrites an old plan.
    public var routing: Routing?
    /// For a measurement: the figure, the measure and the day it is for; `text` keeps the figure as typed.
    public var value: MeasureValue?

    public init(
        kind: Kind, speaker: String? = nil, text: String, argument: String? = nil, at: Date, routing: Routing? = nil,
        value: MeasureValue? = nil
    ) {
        self.kind = kind
        self.speaker = speaker
        self.text = text
        self.argument = argument
        self.at = at
        self.routing = routing
        self.value = value
    }
}
