public import Foundation

/// Logging figures for the plan's measures: a `measurement` turn in the session's log, which a finished plan
/// takes without being reopened.
extension Conversation {
    /// Why a figure could not be logged, in the person's terms.
    public struct LogProblem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Which part of the request was wrong: `value`, `measure` or `date`.
        public var part: String
        public var description: String
    }

    /// Logs one figure for a measure.
    ///
    /// - Parameters:
    ///   - figure: the value as typed ("12", "7.5", "80%").
    ///   - measure: the measure by number, kind or words from it; `nil` for the first outcome measure.
    ///   - date: the day it is for, in words read as a day already passed; `nil` for the day it is said.
    /// - Throws: ``LogProblem`` naming what could not be read; nothing is recorded then.
    public mutating func log(_ figure: String, measure: String? = nil, date: String? = nil, at time: Date)
        throws(LogProblem) -> Reply
    {
        let cleaned = figure.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
        guard let value = Double(cleaned), value.isFinite else {
            throw LogProblem(part: "value", description: "\u{201C}\(figure)\u{201D} is not a number to log")
        }
        let plan = self.plan
        guard !plan.measures.isEmpty else {
            throw LogProblem(part: "measure", description: "this plan has no measures yet: add one with /edit measures")
        }
        guard let index = plan.measureIndex(named: measure) else {
            let names = plan.measures.enumerated().map { "\($0.offset + 1). \($0.element.text)" }
            throw LogProblem(
                part: "measure",
                description: "no single measure matches \u{201C}\(measure ?? "")\u{201D}; say its number: "
                    + names.joined(separator: "; "))
        }
        let today = CalendarDay(time)
        var day = today
        if let date {
            guard let read = DateReading.pastDay(in: date, today: today) else {
                throw LogProblem(
                    part: "date",
                    description: "cannot read \u{201C}\(date)\u{201D} as a day that has passed; "
                        + "say it like 2026-11-30, yesterday or monday")
            }
            day = read
        }
        return apply(
            Turn(
                kind: .measurement, text: figure, argument: measure, at: time,
                value: MeasureValue(measure: index, day: day, value: value)))
    }

    mutating func applyMeasurement(_ turn: Turn) -> Reply {
        guard let value = turn.value, state.plan.measures.indices.contains(value.measure) else {
            return Reply(accepted: false, messages: [Message(.warning, "That figure names no measure.")], prompt: nil)
        }
        logged.append(value)
        let measure = state.plan.measures[value.measure]
        let unit = measure.unit.map { " \($0)" } ?? ""
        return Reply(
            accepted: true,
            messages: [
                Message(
                    .heard,
                    "logged \(RunChart.figure(value.value))\(unit) for \u{201C}\(measure.text)\u{201D} on \(value.day)")
            ], prompt: nil)
    }
}
