import Foundation
import SmallChangesCore
import SmallChangesStore

/// Figures for a plan's measures.
extension Dispatcher {
    func log(_ params: PlanLog.Params, from peer: Peer?) throws -> PlanLog.Result {
        try checkLength(params.measure, field: "measure")
        try checkLength(params.date, field: "date")
        guard params.value.isFinite else { throw ServerError.outOfRange(field: "value", range: "a finite number") }
        // Figures are kept in the plan's own session; a job has only its own session to itself, so a review's id
        // is answered with the plan's id rather than written through.
        let root = try rootOf(params.sessionId)
        guard root == params.sessionId else {
            throw ServerError.outOfRange(
                field: "sessionId", range: "the plan's own session, \(root), not a review of it")
        }
        var problem: Conversation.LogProblem?
        var logged: MeasureValue?
        let result = try turn(root, from: nil, takesTurn: false) { conversation, at, _ in
            do {
                let reply = try conversation.log(
                    RunChart.figure(params.value), measure: params.measure, date: params.date, at: at)
                logged = conversation.turns.last?.value
                return reply
            } catch let error as Conversation.LogProblem {
                problem = error
                return Reply(accepted: false, prompt: conversation.prompt)
            } catch {
                return Reply(accepted: false, prompt: conversation.prompt)
            }
        }
        if let problem {
            throw ServerError.outOfRange(field: problem.part, range: Self.range(of: problem))
        }
        guard let logged else { throw ServerError.outOfRange(field: "value", range: "a number") }
        let plan = try live(root).conversation.plan
        let values = plan.measures.indices.contains(logged.measure) ? plan.measures[logged.measure].values ?? [] : []
        return PlanLog.Result(
            sessionId: root, logged: logged, messages: result.reply.messages, values: values,
            verdict: RunChart(values: values.map(\.value)).verdict)
    }

    /// What a part of `plan/log` must be, saying what was wrong with it.
    static func range(of problem: Conversation.LogProblem) -> String {
        switch problem.part {
        case "measure": "one of the plan's measures (\(problem.description))"
        case "date": "a day that has passed (\(problem.description))"
        default: "a number (\(problem.description))"
        }
    }

    /// The plan's own session: a review's id leads back through the reviews to the plan they review.
    func rootOf(_ id: SessionID) throws -> SessionID {
        try PlanChain(containing: id, in: store).root.id
    }
}
