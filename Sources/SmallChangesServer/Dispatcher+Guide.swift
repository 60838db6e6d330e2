import SmallChangesCore

/// The methods that read the guide only: flows, the matcher and the corpus.
extension Dispatcher {
    func listFlows() -> FlowsList.Result {
        FlowsList.Result(
            flows: guide.flows.map { flow in
                FlowsList.Summary(
                    id: flow.id, title: flow.title, summary: flow.summary, steps: flow.steps.count, pair: flow.pair,
                    review: flow.review)
            })
    }

    func route(_ params: Route.Params) throws -> Routing {
        try checkLength(params.text, field: "text")
        return guide.matcher.route(params.text, expecting: params.expect)
    }

    func search(_ params: CorpusSearch.Params) throws -> CorpusSearch.Result {
        try checkLength(params.query, field: "query")
        let limit = params.limit ?? 5
        guard (1...50).contains(limit) else { throw ServerError.outOfRange(field: "limit", range: "from 1 to 50") }
        return CorpusSearch.Result(cards: guide.corpus.search(params.query, limit: limit))
    }
}
