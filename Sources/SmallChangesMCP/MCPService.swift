public import Logging
import MCP
public import SmallChangesCore
public import SmallChangesServer
import Synchronization

/// `smallchanges mcp`: the conversation engine for AI assistants, as an MCP server (swift-sdk) over stdio.
///
/// A thin adapter: every tool calls a `serve` protocol method on the same `Dispatcher`, so a session started here
/// is stored like any other, resumes in the REPL, and gives the same plan for the same answers. What is MCP's
/// own is here: the tools' schemas and results, prompts, resources, elicitation and retry-safe answers.
public final class MCPService: Sendable {
    let engine: EngineClient
    let guide: Guide
    let messageLog: ClientMessageLog
    let logger: Logger
    /// Whether the client declared elicitation in `initialize`; set once, before any tool runs.
    let clientElicits = Mutex(false)
    /// Answers taken in this run, by session and `client_msg_id`, with the result they had (kept in memory only).
    let answered = Mutex(AnsweredResults(capacity: 10_000))
    /// How long a form may stay open before the question goes back into the tool's result; the session's other
    /// calls wait meanwhile.
    let elicitationTimeout: Duration

    /// - Parameters:
    ///   - dispatcher: the engine, as `serve` builds it.
    ///   - messageLog: where the `client_msg_id`s of answers taken are kept.
    ///   - elicitationTimeout: how long a form the person is asked to fill in may stay open.
    public init(
        dispatcher: Dispatcher, guide: Guide, messageLog: ClientMessageLog, logger: Logger,
        elicitationTimeout: Duration = .seconds(600)
    ) {
        self.engine = EngineClient(dispatcher: dispatcher, maximumDepth: 64)
        self.guide = guide
        self.messageLog = messageLog
        self.logger = logger
        self.elicitationTimeout = elicitationTimeout
    }

    /// Serves until the input ends; then waits up to `drainTimeout` for the calls in flight to be answered.
    public func run(transport: LineTransport, drainTimeout: Duration = .seconds(10)) async throws {
        let server = Server(
            name: "smallchanges", version: "0.1.0", title: "SmallChanges",
            instructions: ServerInstructions.text,
            capabilities: .init(
                prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false),
                tools: .init(listChanged: false)))
        await register(on: server, dataURLStrings: transport.dataURLStrings)
        try await server.start(transport: transport) { [self] _, capabilities in
            // Forms: declared as `form`, or as an empty `elicitation` (before 2025-11-25, forms were all there was).
            let forms = capabilities.elicitation.map { $0.form != nil || $0.url == nil } ?? false
            self.clientElicits.withLock { $0 = forms }
        }
        await server.waitUntilCompleted()
        // Once, at the end: a short poll rather than a second path for every response to signal on.
        let deadline = ContinuousClock.now + drainTimeout
        while transport.requestsInFlight > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await server.stop()
    }

    private func register(on server: Server, dataURLStrings: DataURLStrings) async {
        let tools = ToolCatalog.all(flows: guide.flows.map(\.id))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { [self] params in
            try await self.call(params, server: server, dataURLStrings: dataURLStrings)
        }
        await server.withMethodHandler(ListPrompts.self) { _ in ListPrompts.Result(prompts: PromptCatalog.all) }
        await server.withMethodHandler(GetPrompt.self) { [self] params in try await self.prompt(params) }
        await server.withMethodHandler(ListResources.self) { [self] _ in
            ListResources.Result(resources: try await self.resources())
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: ResourceCatalog.templates)
        }
        await server.withMethodHandler(ReadResource.self) { [self] params in try await self.read(params.uri) }
    }
}
