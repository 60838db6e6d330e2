import Testing

@testable import smallchanges

@Suite struct TextWrapTests {
    @Test func wordsWrapAtTheWidthAndNeverInsideAWord() {
        let text = "Sparking: ideas and the one change you choose, then how you will test it."
        let wrapped = TextWrap.wrap(text, width: 20)
        let lines = wrapped.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 20 })
        #expect(lines.joined(separator: " ") == text)
        #expect(lines.first == "Sparking: ideas and")
    }

    @Test(arguments: [60, 160])
    func everyWordOfAParagraphSurvivesWrappingWhole(width: Int) {
        let text = String(repeating: "Spa rking Sparking ways-of-working (PDSA) \u{2014} ", count: 12)
        let wrapped = TextWrap.wrap(text, width: width)
        let words = text.split(separator: " ")
        #expect(wrapped.split(whereSeparator: { $0 == " " || $0 == "\n" }) == words)
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= width })
    }

    @Test func aShortLineAndItsLineBreaksAreLeftAsTheyAre() {
        let text = "one\n\n  two three"
        #expect(TextWrap.wrap(text, width: 40) == text)
    }

    @Test func aListItemWrapsUnderItsFirstWord() {
        let wrapped = TextWrap.wrap("  \u{2022} ask the ward clerk to hold calls for an hour", width: 24)
        #expect(wrapped == "  \u{2022} ask the ward clerk\n    to hold calls for an\n    hour")
        let numbered = TextWrap.wrap("1. write the aim down today", width: 14)
        #expect(numbered == "1. write the\n   aim down\n   today")
    }

    @Test func spacesInsideALineAreKeptSoColumnsStayLinedUp() {
        let wrapped = TextWrap.wrap("  /who NAME      in a pair: the next answer", width: 30)
        #expect(wrapped == "  /who NAME      in a pair:\n  the next answer")
    }

    @Test func aWordLongerThanTheLineStandsWholeOnItsOwnLine() {
        let wrapped = TextWrap.wrap("see https://example.org/a-very-long-address now", width: 12)
        #expect(wrapped == "see\nhttps://example.org/a-very-long-address\nnow")
    }

    @Test func colourCodesTakeNoRoomAndWideCharactersTakeTwo() {
        let painted = "\u{1B}[1mbold words here\u{1B}[0m"
        #expect(TextWrap.displayWidth(Substring(painted)) == 15)
        #expect(TextWrap.wrap(painted, width: 15) == painted)
        #expect(TextWrap.displayWidth("改善の計画") == 10)
        #expect(TextWrap.wrap("改善 の計画", width: 6) == "改善\nの計画")
    }
}
