import Foundation
import Testing

@testable import SmallChangesCore

/// The plain Swift string work on the per-answer path gives what the Foundation calls it replaced give, on ASCII
/// answers and on the Unicode ones that send it back to Foundation.
@Suite struct PlainStringWorkTests {
    static let texts = [
        "", " ", "we never have time", "It's ONE problem, not three", "no\u{2019}s that\u{2019}s wrong", "café ’ok’",
        "Count how many calls", "a\tb\r\nc", "\u{00A0}spaced\u{2003}", "e\u{301}t\u{e9}", "%' percent", "ﬁle ＡＮＤ",
        "I AND we", "stand and deliver", "land andand", " and", "and ", "\u{1F600} and \u{1F600}", "İstanbul and",
    ]

    @Test(arguments: texts)
    func removingApostrophesIsWhatReplacingOccurrencesGives(text: String) {
        let foundation = text.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "\u{2019}", with: "")
        #expect(text.removingScalars { $0 == "'" || $0 == "\u{2019}" } == foundation)
    }

    @Test(arguments: texts)
    func trimmingWhiteSpaceIsWhatFoundationTrims(text: String) {
        let foundation = text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(String(Substring(text).trimmingScalars { $0.properties.isWhitespace }) == foundation)
    }

    @Test(arguments: texts)
    func includesIsWhatContainsFinds(text: String) {
        for other in ["and", " and ", "%", "per cent", "ok", "AND", "e\u{301}", "", "stand"] {
            #expect(text.includes(other) == text.contains(other), "\(other)")
        }
    }

    @Test(arguments: texts)
    func andIsFoundInAnyCaseAsFoundationFindsIt(text: String) {
        #expect(AnswerSplitter.containsAnd(text) == (text.range(of: " and ", options: .caseInsensitive) != nil))
    }

    @Test func aWordLetterIsALetter() {
        for scalar in (0..<0x250).compactMap(Unicode.Scalar.init) {
            let character = Character(scalar)
            #expect(character.isWordLetter == character.isLetter, "\(scalar.value)")
        }
        for character: Character in ["\r\n", "e\u{301}", "\u{1F600}", "ﬁ"] {
            #expect(character.isWordLetter == character.isLetter)
        }
    }
}
