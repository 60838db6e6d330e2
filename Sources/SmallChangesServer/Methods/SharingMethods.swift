public import Foundation
public import SmallChangesCore

/// `session/join`: takes the seat a join code was minted for, in a shared session.
///
/// The connection then answers as that participant and receives the session's notifications.
public enum SessionJoin: RPCMethod {
    public static let name = "session/join"

    public struct Params: Codable, Sendable {
        /// The code from `session/start {share: true}`; case, spaces and dashes do not matter.
        public var code: String
        /// Optional check: the participant the joiner expects to be.
        public var name: String?

        public init(code: String, name: String?) {
            self.code = code
            self.name = name
        }
    }

    public struct Result: Codable, Sendable {
        public var sessionId: SessionID
        /// The participant this connection answers as.
        public var name: String
        public var participants: [String]
        /// The welcome, and where the session stands if it has begun.
        public var messages: [Message]
        public var prompt: Prompt?
        public var stands: String
        public var finished: Bool
        public var answering: [String]?
    }
}

/// `session/turn` (server notification): a turn someone else took in a shared session.
///
/// Sent to every other connection seated in the session, in the order the turns were applied.
public enum SessionTurn: RPCMethod {
    public static let name = "session/turn"

    /// The turn, and the result its sender was given, in one object: `{sessionId, turn, kind, speaker, text,
    /// argument, accepted, routed, …, stands, answering}`.
    public struct Params: Codable, Sendable {
        public var sessionId: SessionID
        /// The number of turns in the session's log, this one included: it only grows, by one each time.
        public var turn: Int
        /// `answer` or `command`.
        public var kind: Turn.Kind
        /// Who answered, or who sent the command.
        public var speaker: String?
        /// The answer's words, or the command's name.
        public var text: String
        public var argument: String?
        public var result: TurnResult

        private enum CodingKeys: String, CodingKey {
            case sessionId, turn, kind, speaker, text, argument
        }

        public init(
            sessionId: SessionID, turn: Int, kind: Turn.Kind, speaker: String?, text: String, argument: String?,
            result: TurnResult
        ) {
            self.sessionId = sessionId
            self.turn = turn
            self.kind = kind
            self.speaker = speaker
            self.text = text
            self.argument = argument
            self.result = result
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            sessionId = try container.decode(SessionID.self, forKey: .sessionId)
            turn = try container.decode(Int.self, forKey: .turn)
            kind = try container.decode(Turn.Kind.self, forKey: .kind)
            speaker = try container.decodeIfPresent(String.self, forKey: .speaker)
            text = try container.decode(String.self, forKey: .text)
            argument = try container.decodeIfPresent(String.self, forKey: .argument)
            result = try TurnResult(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sessionId, forKey: .sessionId)
            try container.encode(turn, forKey: .turn)
            try container.encode(kind, forKey: .kind)
            try container.encodeIfPresent(speaker, forKey: .speaker)
            try container.encode(text, forKey: .text)
            try container.encodeIfPresent(argument, forKey: .argument)
            try result.encode(to: encoder)
        }
    }

    public typealias Result = Empty
}

/// `session/joined` (server notification): a partner took their seat in a shared session.
public enum SessionJoined: RPCMethod {
    public static let name = "session/joined"

    public struct Params: Codable, Sendable {
        public var sessionId: SessionID
        public var name: String
    }

    public typealias Result = Empty
}

/// `session/left` (server notification): a partner's connection closed; the session goes on.
public enum SessionLeft: RPCMethod {
    public static let name = "session/left"

    public struct Params: Codable, Sendable {
        public var sessionId: SessionID
        public var name: String
        /// Whether the partner is still in the session on another connection: false when they have gone.
        public var present: Bool
        /// What the one left can do, in a sentence to show.
        public var message: String

        public init(sessionId: SessionID, name: String) {
            self.sessionId = sessionId
            self.name = name
            present = false
            message =
                "\(name) has left: their connection closed. The session goes on: you can answer \(name)'s questions "
                + "too, or send session/share for a new code \(name) can rejoin with, on any server."
        }
    }

    public typealias Result = Empty
}

/// `session/share`: a seated partner mints a new single-use code for the other partner, who is not seated (their
/// connection dropped, or the first code ran out), to rejoin with on any instance.
public enum SessionShare: RPCMethod {
    public static let name = "session/share"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
    }

    public struct Result: Codable, Sendable {
        public var sessionId: SessionID
        /// The partner the code is for.
        public var name: String
        public var joinCode: String
        public var joinExpiresAt: Date
    }
}
