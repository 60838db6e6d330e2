import Foundation

extension ChangePlan {
    /// What a measure tells: the aim itself, whether the change is being done, or what might get worse.
    public enum MeasureKind: String, Codable, Sendable, CaseIterable {
        /// Is the aim being met? ("discharges where the patient could explain their medicines")
        case outcome
        /// Is the change being done as planned? ("huddles held")
        case process
        /// Is something else getting worse because of it? ("overtime", "complaints")
        case balancing
    }

    /// One value of a measure on one day.
    public struct DataPoint: Codable, Sendable, Equatable {
        public var day: CalendarDay
        public var value: Double

        public init(day: CalendarDay, value: Double) {
            self.day = day
            self.value = value
        }
    }

    /// The plan with logged values added to its measures, each measure's values in day order.
    ///
    /// A second value for the same measure and day replaces the first: logging again corrects it. A value for a
    /// measure the plan does not have (an older plan, a measure taken back) is left out.
    public func recording(_ logged: [MeasureValue]) -> ChangePlan {
        guard !logged.isEmpty else { return self }
        var plan = self
        for value in logged where plan.measures.indices.contains(value.measure) {
            var points = plan.measures[value.measure].values ?? []
            points.removeAll { $0.day == value.day }
            let at = points.firstIndex { $0.day > value.day } ?? points.endIndex
            points.insert(DataPoint(day: value.day, value: value.value), at: at)
            plan.measures[value.measure].values = points
        }
        return plan
    }

    /// The measure a person named when logging: by number ("2"), by kind ("balancing"), or by words from it
    /// ("overtime"); with no name, the first outcome measure, else the first.
    ///
    /// - Returns: the measure's position, or `nil` when the name matches none or several.
    public func measureIndex(named name: String?) -> Int? {
        guard !measures.isEmpty else { return nil }
        guard let name = name?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), !name.isEmpty else {
            return measures.firstIndex { $0.kind == .outcome } ?? 0
        }
        if let number = Int(name) { return measures.indices.contains(number - 1) ? number - 1 : nil }
        if let kind = MeasureKind(rawValue: name) {
            let matching = measures.indices.filter { measures[$0].kind == kind }
            return matching.count == 1 ? matching[0] : nil
        }
        let matching = measures.indices.filter { measures[$0].text.lowercased().contains(name) }
        return matching.count == 1 ? matching[0] : nil
    }

    /// When each cycle after the first started: the day its review decided to go on, adapted or not.
    public var cycleStarts: [(cycle: Int, day: CalendarDay)] {
        cycles.compactMap { cycle in cycle.decided.map { (cycle.number + 1, $0) } }
    }
}
