import Testing

@testable import SmallChangesCore
@testable import TextClassification

/// A guide read back from its bytes has the flows, cards and matcher of the guide built from the files; the
/// matcher's own bit-for-bit test is `IntentMatcherCodingTests`.
@Suite struct GuideCodingTests {
    @Test func aGuideReadBackHasTheSameFlowsCardsAndMatcher() throws {
        let built = TestGuide.guide
        let bytes = built.encoded()
        let readBack = try Guide(decoding: bytes)
        #expect(readBack.flows == built.flows)
        #expect(readBack.corpus == built.corpus)
        // Compared as one Bool each: a failed comparison of megabytes would print them all.
        let sameMatcher = readBack.matcher.encoded() == built.matcher.encoded()
        let sameBytes = readBack.encoded() == bytes
        #expect(sameMatcher)
        #expect(sameBytes)
    }

    @Test func bytesDamagedOrCutShortAreRefused() {
        let bytes = TestGuide.guide.encoded()
        for length in [0, 12, 20, 40, 1000, bytes.count - 1] {
            #expect(throws: ModelDecodingError.self) { try Guide(decoding: bytes.prefix(length)) }
        }
        // In the flows and cards, then in the matcher.
        for position in [40, 5000, bytes.count - 5000] {
            var damaged = bytes
            damaged[position] ^= 0x01
            #expect(throws: ModelDecodingError.self) { try Guide(decoding: damaged) }
        }
    }

    @Test func theKeyChangesWithAnyFileAndTheTrainer() {
        let sources = TestGuide.sources
        let key = Guide.key(for: sources, trainer: "build 1")
        #expect(key == Guide.key(for: TestGuide.sources, trainer: "build 1"))
        var flowEdited = sources
        flowEdited.flows[0].text += " "
        var cardEdited = sources
        cardEdited.cards[0].text += "\n"
        var renamed = sources
        renamed.cards[0].name = "Corpus/other.yaml"
        var examplesEdited = sources
        examplesEdited.themes.text += "#"
        let others = [
            Guide.key(for: flowEdited, trainer: "build 1"), Guide.key(for: cardEdited, trainer: "build 1"),
            Guide.key(for: renamed, trainer: "build 1"), Guide.key(for: examplesEdited, trainer: "build 1"),
            Guide.key(for: sources, trainer: "build 2"),
        ]
        #expect(!others.contains(key))
        #expect(Set(others).count == others.count)
    }
}
