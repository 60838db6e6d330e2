import Testing

@testable import smallchanges

@Suite struct PagerTests {
    let screen = TerminalSize(rows: 24, columns: 80)

    @Test func outputTallerThanTheScreenGoesThroughLessByDefault() {
        #expect(Pager.command(lines: 60, screen: screen, environment: [:]) == "less -FRX")
    }

    @Test func outputThatFitsIsPrintedWithRoomLeftForThePrompt() {
        #expect(Pager.command(lines: 23, screen: screen, environment: [:]) == nil)
        #expect(Pager.command(lines: 24, screen: screen, environment: [:]) == "less -FRX")
    }

    @Test func outputToAPipeIsNeverPaged() {
        #expect(Pager.command(lines: 10_000, screen: nil, environment: ["PAGER": "less"]) == nil)
    }

    @Test func thePagerVariableChoosesThePagerOrTurnsPagingOff() {
        #expect(Pager.command(lines: 60, screen: screen, environment: ["PAGER": "most -s"]) == "most -s")
        #expect(Pager.command(lines: 60, screen: screen, environment: ["PAGER": ""]) == nil)
        #expect(Pager.command(lines: 60, screen: screen, environment: ["PAGER": "cat"]) == nil)
        #expect(Pager.command(lines: 60, screen: screen, environment: ["TERM": "dumb"]) == nil)
    }
}
