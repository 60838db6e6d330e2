import Foundation
import Testing

@testable import SmallChangesCore
@testable import TextClassification

/// A matcher read back from its bytes must be the matcher trained at start, bit for bit: the program keeps the
/// bytes between runs instead of training (see `MatcherCache` in the executable).
@Suite struct IntentMatcherCodingTests {
    let trained: IntentMatcher
    let readBack: IntentMatcher

    init() throws {
        trained = try #require(MatcherFixtures.matcher)
        readBack = try IntentMatcher(decoding: trained.encoded())
    }

    /// The varied answers of `Fixtures/varied-answers.txt`, and the answers of the scripted conversations.
    static let variedAnswers: [String] = {
        guard
            let url = Bundle.module.url(forResource: "varied-answers", withExtension: "txt", subdirectory: "Fixtures"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("Fixtures/varied-answers.txt is missing from the test bundle") }
        let fixture = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
            .map { $0.replacingOccurrences(of: "\\n", with: "\n") }
        let conversations = MatcherFixtures.packageRoot.appendingPathComponent("Tests/Conversations")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: conversations.path)) ?? []
        var said: [String] = []
        for name in names.sorted() where name.hasSuffix(".yaml") {
            let script = (try? String(contentsOf: conversations.appendingPathComponent(name), encoding: .utf8)) ?? ""
            for line in script.split(separator: "\n") {
                guard let start = line.range(of: "say: \""), let end = line.range(of: "\"", options: .backwards),
                    start.upperBound < end.lowerBound
                else { continue }
                said.append(String(line[start.upperBound..<end.lowerBound]))
            }
        }
        return fixture + said
    }()

    /// Equal as values, and every confidence with the same bits (`==` would let 0 and -0 pass).
    func expectIdentical(_ text: String, expecting: Intent?) {
        let first = trained.route(text, expecting: expecting)
        let second = readBack.route(text, expecting: expecting)
        #expect(first == second, "\(text.debugDescription) expecting \(expecting?.rawValue ?? "nothing")")
        let bits = { (routing: Routing) in
            [routing.confidence.bitPattern] + routing.alternatives.map(\.confidence.bitPattern)
        }
        #expect(bits(first) == bits(second), "\(text.debugDescription) expecting \(expecting?.rawValue ?? "nothing")")
    }

    @Test func theBytesReadBackWriteTheSameBytes() {
        // One Bool: a failed comparison of megabytes would print them all.
        let same = readBack.encoded() == trained.encoded()
        #expect(same)
    }

    @Test func everyExampleOfPromptsRoutesIdenticallyWithAndWithoutItsIntent() throws {
        let examples = try #require(MatcherFixtures.examples)
        for example in examples.intentTexts {
            expectIdentical(example.text, expecting: nil)
            expectIdentical(example.text, expecting: Intent(rawValue: example.label))
        }
        for example in examples.themeTexts {
            expectIdentical(example.text, expecting: .barrier)
            #expect(trained.theme(of: example.text) == readBack.theme(of: example.text))
        }
    }

    @Test func theDomainTestSetRoutesIdentically() {
        for routingCase in MatcherFixtures.domainCases {
            expectIdentical(routingCase.text, expecting: routingCase.expect)
            expectIdentical(routingCase.text, expecting: nil)
        }
    }

    @Test func variedAnswersRouteIdenticallyUnderEveryExpectedIntent() {
        #expect(Self.variedAnswers.count > 100)
        for text in Self.variedAnswers {
            expectIdentical(text, expecting: nil)
            for intent in Intent.allCases { expectIdentical(text, expecting: intent) }
        }
    }

    @Test func bytesCutShortAnywhereAreRefused() {
        let bytes = trained.encoded()
        for length in [0, 1, 8, 31, 32, 33, bytes.count / 2, bytes.count - 1] {
            #expect(throws: ModelDecodingError.self) { try IntentMatcher(decoding: bytes.prefix(length)) }
        }
        #expect(throws: ModelDecodingError.self) { try IntentMatcher(decoding: bytes + [0]) }
    }

    @Test func aChangedByteAnywhereIsRefused() {
        let bytes = trained.encoded()
        for position in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            var damaged = bytes
            damaged[position] ^= 0x10
            #expect(throws: ModelDecodingError.self) { try IntentMatcher(decoding: damaged) }
        }
    }

    @Test func anotherFormatVersionIsRefusedSayingSo() {
        var bytes = trained.encoded()
        bytes[8] &+= 1
        #expect(throws: ModelDecodingError.self) { try IntentMatcher(decoding: bytes) }
    }

}
