public import SmallChangesCore

/// `flows/list`: the conversations a session can run.
public enum FlowsList: RPCMethod {
    public static let name = "flows/list"
    public typealias Params = Empty

    public struct Result: Codable, Sendable {
        public var flows: [Summary]
    }

    public struct Summary: Codable, Sendable {
        public var id: String
        public var title: String
        public var summary: String
        /// Number of questions.
        public var steps: Int
        public var pair: Bool
        public var review: Bool
    }
}

/// `route`: the intent matcher alone, for trying phrasings; stores nothing.
public enum Route: RPCMethod {
    public static let name = "route"

    public struct Params: Codable, Sendable {
        public var text: String
        /// The intent the question expects, which the matcher favours a little.
        public var expect: Intent?
    }

    public typealias Result = Routing
}

/// `corpus/search`: knowledge cards matching a query.
public enum CorpusSearch: RPCMethod {
    public static let name = "corpus/search"

    public struct Params: Codable, Sendable {
        public var query: String
        /// At most this many cards (1...50, default 5).
        @WholeNumber public var limit: Int?
    }

    public struct Result: Codable, Sendable {
        public var cards: [Card]
    }
}
