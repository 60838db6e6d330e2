public import SmallChangesCore

/// `plan/get`: the session's change plan as JSON.
public enum PlanGet: RPCMethod {
    public static let name = "plan/get"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
    }

    public struct Result: Codable, Sendable {
        public var plan: ChangePlan
    }
}

/// `plan/check`: what the plan still lacks before it can be tried.
public enum PlanCheck: RPCMethod {
    public static let name = "plan/check"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
    }

    public struct Result: Codable, Sendable {
        public var ready: Bool
        public var gaps: [ReadinessGap]
    }
}

/// `plan/export`: the plan as a document, returned as text (the server writes no files).
public enum PlanExport: RPCMethod {
    public static let name = "plan/export"

    public typealias Format = PlanFormat

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
        public var format: Format

        public init(sessionId: SessionID, format: Format) {
            self.sessionId = sessionId
            self.format = format
        }
    }

    public struct Result: Codable, Sendable {
        public var format: Format
        public var content: String
    }
}

/// `plan/log`: records one figure for one of a plan's measures. The figure is kept in the plan's own session
/// (given a review's id, the error names the plan's), as a turn of its log, so a finished plan takes it as it is.
public enum PlanLog: RPCMethod {
    public static let name = "plan/log"

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
        public var value: Double
        /// The measure by number (`"2"`), kind (`"balancing"`) or words from it; absent for the first outcome
        /// measure.
        public var measure: String?
        /// The day the figure is for, in words (`"2026-11-30"`, `"yesterday"`, `"monday"`); absent for today.
        public var date: String?
    }

    public struct Result: Codable, Sendable {
        /// The plan's own session, where the figure was kept.
        public var sessionId: SessionID
        public var logged: MeasureValue
        public var messages: [Message]
        /// The measure's values so far, oldest first.
        public var values: [ChangePlan.DataPoint]
        /// What the run-chart rules show in them.
        public var verdict: String
    }
}
