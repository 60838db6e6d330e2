import Foundation
public import TextClassification

extension Guide {
    /// The version of `encoded()`'s layout around the matcher's own bytes.
    static let formatVersion: UInt32 = 1
    /// "SCGUIDE" and the byte 0x01 as the first eight bytes.
    private static let magic: UInt64 = 0x0145_4449_5547_4353

    /// What a loaded guide holds, as bytes that `init(decoding:)` reads back into the same flows, cards and matcher
    /// (routing bit for bit as this one): a program can keep them and skip parsing the YAML and training the
    /// matcher at its next start.
    ///
    /// A header (magic, format version, the length and checksum of the next part), the flows and cards as JSON
    /// (small, and what `Codable` already defines), then `IntentMatcher.encoded()`, which checks itself.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        // Keys in a fixed order, so the same guide always gives the same bytes.
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(Contents(flows: flows, cards: corpus.cards))).map(Array.init) ?? []
        var writer = ModelWriter()
        writer.append(Self.magic)
        writer.append(Self.formatVersion)
        writer.append(ModelWriter.checksum(json))
        writer.append(json)
        return writer.bytes + matcher.encoded()
    }

    /// Reads back a guide from `encoded()`'s bytes, its matcher made with `configuration`.
    ///
    /// - Throws: `ModelDecodingError` when the bytes are damaged or cut short, or come from another format
    ///   version: parse the files and train again then.
    public convenience init(
        decoding bytes: some Collection<UInt8>, configuration: IntentMatcher.Configuration = .init()
    ) throws(ModelDecodingError) {
        let (contents, matcher) = try ModelReader.reading(bytes) { reader throws(ModelDecodingError) in
            (try Self.contents(&reader), try IntentMatcher(reading: &reader, configuration: configuration))
        }
        self.init(flows: contents.flows, corpus: Corpus(cards: contents.cards), matcher: matcher)
    }

    /// Reads back the flows and cards of `encoded()`'s bytes now, and the matcher on first use: what a program
    /// needs to show its first question is then read in well under a millisecond, and the matcher's megabytes
    /// can be read on another thread meanwhile (see `matcher`). When the matcher's bytes do not read back then,
    /// the matcher is the one `otherwise` makes (by training again).
    ///
    /// - Throws: `ModelDecodingError` when the header, flows or cards are damaged or cut short, or the bytes come
    ///   from another format version.
    public convenience init(
        decodingMatcherLater bytes: some Collection<UInt8> & Sendable,
        configuration: IntentMatcher.Configuration = .init(),
        otherwise: @escaping @Sendable (ModelDecodingError) -> IntentMatcher
    ) throws(ModelDecodingError) {
        let (contents, matcherStart) = try ModelReader.reading(bytes) { reader throws(ModelDecodingError) in
            (try Self.contents(&reader), reader.position)
        }
        self.init(flows: contents.flows, corpus: Corpus(cards: contents.cards)) {
            do throws(ModelDecodingError) {
                return try ModelReader.reading(bytes) { reader throws(ModelDecodingError) in
                    try reader.move(to: matcherStart)
                    return try IntentMatcher(reading: &reader, configuration: configuration)
                }
            } catch {
                return otherwise(error)
            }
        }
    }

    /// The flows and cards, after checking the header.
    private static func contents(_ reader: inout ModelReader) throws(ModelDecodingError) -> Contents {
        guard try reader.uint64() == magic else { throw ModelDecodingError("not a guide") }
        let version = try reader.uint32()
        guard version == formatVersion else {
            throw ModelDecodingError("format version \(version), where this program reads \(formatVersion)")
        }
        let checksum = try reader.uint64()
        let json = try reader.array(of: UInt8.self)
        guard ModelWriter.checksum(json) == checksum else { throw ModelDecodingError("damaged (checksum)") }
        do {
            return try JSONDecoder().decode(Contents.self, from: Data(json))
        } catch {
            throw ModelDecodingError("flows and cards that do not read back: \(error)")
        }
    }

    /// The flows and cards, as `encoded()` writes them.
    private struct Contents: Codable {
        var flows: [Flow]
        var cards: [Card]
    }

    /// A key for the guide built from `sources` by `trainer`: equal inputs give the same key in every process, and
    /// a change to any of them almost surely another, so bytes kept under the key are never used for other files.
    ///
    /// - Parameter trainer: what identifies the code that parses and trains and the matcher configuration it
    ///   uses, such as the program's build (which fixes the default configuration): another build may read the
    ///   same files differently.
    public static func key(for sources: Sources, trainer: String) -> UInt64 {
        var writer = ModelWriter()
        writer.append(formatVersion)
        writer.append(IntentMatcher.formatVersion)
        writer.append(trainer)
        for file in sources.flows + [sources.intents, sources.themes] + sources.cards {
            writer.append([file.name, file.text])
        }
        return ModelWriter.checksum(writer.bytes)
    }
}
