public import Foundation
public import SmallChangesCore

/// `session/start`: begins a session; the server mints its id.
public enum SessionStart: RPCMethod {
    public static let name = "session/start"

    public struct Params: Codable, Sendable {
        /// A flow id from `flows/list`.
        public var flow: String
        /// Names of the people taking part; two for a pair flow.
        public var participants: [String]?
        /// For a review flow: the session whose plan is reviewed.
        public var reviewing: SessionID?
        /// Share the session with the second participant at another terminal: this connection takes
        /// the first participant's seat and the result carries a join code for the second.
        public var share: Bool?

        public init(flow: String, participants: [String]? = nil, reviewing: SessionID? = nil, share: Bool? = nil) {
            self.flow = flow
            self.participants = participants
            self.reviewing = reviewing
            self.share = share
        }
    }

    public struct Result: Codable, Sendable {
        public var sessionId: SessionID
        public var messages: [Message]
        public var prompt: Prompt?
        public var stands: String
        /// In a pair: who may answer the current question (one name, or both for a question to both).
        public var answering: [String]?
        /// With `share`: the single-use code the partner joins with (`K7M2-QX9P`).
        public var joinCode: String?
        /// With `share`: when the join code stops working.
        public var joinExpiresAt: Date?
    }
}

/// `session/answer`: one answer to the current question.
public enum SessionAnswer: RPCMethod {
    public static let name = "session/answer"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
        public var text: String
        /// In a pair: who answered.
        public var speaker: String?
        /// The client's id for this answer, unique within the session (at most 64 characters): a retry with the same
        /// id returns the first result and adds no turn, on whichever server instance it lands.
        public var clientMsgId: String?
        /// The id of the question answered (`prompt.id` as the client showed it): when the session has moved on
        /// to another question meanwhile (a partner, another client or a REPL on the same data), the answer is
        /// refused with `-32014` rather than filed under a question nobody saw.
        public var promptId: String?

        public init(
            sessionId: SessionID, text: String, speaker: String? = nil, clientMsgId: String? = nil,
            promptId: String? = nil
        ) {
            self.sessionId = sessionId
            self.text = text
            self.speaker = speaker
            self.clientMsgId = clientMsgId
            self.promptId = promptId
        }
    }

    public typealias Result = TurnResult
}

/// `session/command`: a conversation command: `back`, `skip`, `done`, `who` (with `argument`).
public enum SessionCommand: RPCMethod {
    public static let name = "session/command"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
        public var name: String
        public var argument: String?

        public init(sessionId: SessionID, name: String, argument: String? = nil) {
            self.sessionId = sessionId
            self.name = name
            self.argument = argument
        }
    }

    public typealias Result = TurnResult
}

/// `session/get`: a session's record, current question and progress.
public enum SessionGet: RPCMethod {
    public static let name = "session/get"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
    }

    public struct Result: Codable, Sendable {
        public var session: SessionSummary
        public var prompt: Prompt?
        public var stands: String
        public var finished: Bool
        /// Number of turns in the session's log.
        public var turns: Int
    }
}

/// `session/list`: every stored session, most recently active first.
public enum SessionList: RPCMethod {
    public static let name = "session/list"
    public typealias Params = Empty

    public struct Result: Codable, Sendable {
        public var sessions: [SessionSummary]
    }
}

/// `session/resume`: continues a stored session, on any connection; says where it stands and asks again.
public enum SessionResume: RPCMethod {
    public static let name = "session/resume"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
        /// The last turn number the client was told of (a reply's or a `session/turn`'s): the turns after it
        /// come back in `turns`, so a client that reconnects, to any instance, misses none.
        @WholeNumber public var since: Int?
    }

    public struct Result: Codable, Sendable {
        public var sessionId: SessionID
        /// With `since`: every turn after it, oldest first, as `session/turn` tells them.
        public var turns: [SessionTurn.Params]?
        /// Two lines: where things stand.
        public var summary: [String]
        public var prompt: Prompt?
        public var stands: String
        public var finished: Bool
    }
}

/// `session/close`: releases a session from memory; it stays stored and can be resumed.
public enum SessionClose: RPCMethod {
    public static let name = "session/close"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
    }

    public struct Result: Codable, Sendable {
        public var closed: Bool
    }
}
