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

    public enum Format: String, Codable, Sendable, CaseIterable {
        case markdown, json, html
    }

    public struct Params: SessionParams, Codable {
        public var sessionId: SessionID
        public var format: Format
    }

    public struct Result: Codable, Sendable {
        public var format: Format
        public var content: String
    }
}
