/// One figure logged for one measure on one day: the payload of a `measurement` turn.
///
/// The measure is named by its position in the plan's measures, as `log` resolved it when the value was
/// given, so replay never has to match words again.
public struct MeasureValue: Codable, Sendable, Equatable, Hashable {
    /// The position of the measure in `ChangePlan.measures`.
    public var measure: Int
    /// The day the figure is for (not the day it was typed).
    public var day: CalendarDay
    public var value: Double

    public init(measure: Int, day: CalendarDay, value: Double) {
        self.measure = measure
        self.day = day
        self.value = value
    }
}
