import Testing

@testable import SmallChangesCore

@Suite struct RunChartTests {
    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        #expect(RunChart(values: [1, 9, 3, 7]).median == 5)
        #expect(RunChart(values: [4, 1, 9]).median == 4)
        #expect(RunChart(values: []).median == nil)
    }

    @Test func sixPointsOnEachSideOfTheMedianAreTwoShifts() {
        // With the median of all the points, six on one side needs at least twelve points.
        let chart = RunChart(values: [9, 10, 9, 11, 10, 12, 4, 3, 4, 2, 3, 3])
        #expect(chart.median == 6.5)
        #expect(
            chart.shifts == [
                RunChart.Run(first: 0, last: 5, direction: .above, points: 6),
                RunChart.Run(first: 6, last: 11, direction: .below, points: 6),
            ])
    }

    @Test func fivePointsOnOneSideAreNotAShift() {
        let chart = RunChart(values: [9, 10, 9, 11, 10, 9, 4, 3, 4, 2, 3])
        #expect(chart.median == 9)
        #expect(chart.shifts.isEmpty)
    }

    @Test func aPointOnTheMedianNeitherBreaksNorCountsInAShift() {
        // Median 5: below, below, on, below, below, below, below gives six below, broken by nothing.
        let values: [Double] = [8, 9, 8, 9, 8, 3, 2, 5, 3, 2, 1, 4, 8, 5]
        let chart = RunChart(values: values)
        #expect(chart.median == 5)
        let shift = chart.shifts.first
        #expect(shift?.direction == .below)
        #expect(shift?.points == 6)
        #expect(shift?.first == 5)
        #expect(shift?.last == 11)
    }

    @Test func fiveRisingPointsAreATrendAndRepeatsAreSkipped() {
        let chart = RunChart(values: [5, 3, 4, 4, 6, 7, 9, 2, 5, 3])
        #expect(chart.trends == [RunChart.Run(first: 1, last: 6, direction: .rising, points: 5)])
        #expect(RunChart(values: [5, 4, 3, 2, 1, 6, 2, 7, 3, 8]).trends.first?.direction == .falling)
        #expect(RunChart(values: [1, 2, 3, 4, 3, 4, 3, 4, 3, 4]).trends.isEmpty)
    }

    @Test func tooFewPointsAreSaidAndNoRuleIsApplied() {
        let chart = RunChart(values: [1, 2, 3, 4, 5, 6, 7])
        #expect(!chart.hasEnoughPoints)
        #expect(chart.trends.isEmpty)
        #expect(chart.verdict.contains("7 points so far"))
        #expect(chart.verdict.contains("at least 10"))
    }

    @Test func theVerdictNamesTheShiftAndWhereItIs() {
        let verdict = RunChart(values: [9, 10, 9, 11, 10, 12, 4, 3, 4, 2, 3, 3]).verdict
        #expect(verdict.contains("6 points in a row below the median (points 7 to 12): a shift."))
    }

    @Test func figuresAreWholeWhenTheyAreWhole() {
        #expect(RunChart.figure(12) == "12")
        #expect(RunChart.figure(7.5) == "7.5")
        #expect(RunChart.figure(0.25) == "0.25")
    }
}
