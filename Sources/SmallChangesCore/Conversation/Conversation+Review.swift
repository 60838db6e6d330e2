/// How a review opens: the Study step starts from what was planned and what the data show.
extension Conversation {
    /// The opening of a review: the change, the aim with its target and date, the prediction this cycle
    /// tests, and the data so far with what the run-chart rules show beside the prediction.
    func studyOpening() -> [Message] {
        guard flow.review else { return [] }
        let plan = self.plan
        let cycle = plan.cycles.last?.number ?? 1
        var lines: [String] = []
        if let change = plan.change.last { lines.append("The change: \(change.text)") }
        if let aim = plan.aim.last { lines.append("Aim: \(ChangePlan.aimLine(aim))") }
        let predictions = plan.predictionsInForce
        for prediction in predictions { lines.append("You predicted: \u{201C}\(prediction.text)\u{201D}") }
        var messages: [Message] = []
        if !lines.isEmpty {
            messages.append(
                Message(.info, "Cycle \(cycle), as planned:\n" + lines.map { "\u{2022} \($0)" }.joined(separator: "\n"))
            )
        }
        let charted = plan.chartedMeasures
        if charted.isEmpty {
            if !plan.measures.isEmpty {
                messages.append(
                    Message(
                        .info,
                        "No figures logged yet for your measures, so this review goes on what you noticed. "
                            + "Log them as you go with: smallchanges log ID VALUE"))
            }
            return messages
        }
        for (_, measure) in charted {
            let chart = RunChart(values: (measure.values ?? []).map(\.value))
            var text = "Data so far:\n" + plan.textChart(measure).dropLast().joined(separator: "\n")
            text += "\nWhat the rules show: \(chart.verdict)"
            if let prediction = predictions.last {
                text += "\nBeside your prediction: \u{201C}\(prediction.text)\u{201D}"
            }
            messages.append(Message(.info, text))
        }
        return messages
    }
}
