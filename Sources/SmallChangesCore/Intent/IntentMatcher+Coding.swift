extension IntentMatcher {
    /// The version of `encoded()`'s layout; bytes of any other version are refused, so changing the layout means
    /// raising it.
    static let formatVersion: UInt32 = 1
    /// "SCMATCH" and the byte 0x01 as the file's first eight bytes.
    private static let magic: UInt64 = 0x0148_4354_414D_4353
    /// Numbers are written in the machine's byte order: a reader of the other order sees this reversed.
    private static let byteOrderMark: UInt32 = 0x0102_0304

    /// The trained matcher as bytes, which `init(decoding:configuration:)` reads back into a matcher that routes
    /// every answer exactly as this one does: a program can keep them and skip training at its next start.
    ///
    /// A header (magic, format version, byte order, length and checksum of the rest), then this configuration's
    /// description, then the two classifiers, each writing its own trained state.
    public func encoded() -> [UInt8] {
        var body = ModelWriter()
        body.append(String(describing: configuration))
        intents.encode(into: &body)
        themes.encode(into: &body)
        var header = ModelWriter()
        header.append(Self.magic)
        header.append(Self.formatVersion)
        header.append(Self.byteOrderMark)
        header.append(body.bytes.count)
        header.append(body.bytes.withUnsafeBytes { ModelWriter.checksum($0) })
        return header.bytes + body.bytes
    }

    /// Reads back a matcher from `encoded()`'s bytes, which must have been written by a matcher with this
    /// `configuration`.
    ///
    /// - Throws: `ModelDecodingError` when the bytes are damaged or cut short, come from another format version
    ///   or byte order, or were trained with another configuration: train again then.
    public convenience init(decoding bytes: some Collection<UInt8>, configuration: Configuration = Configuration())
        throws(ModelDecodingError)
    {
        let decode = { (raw: UnsafeRawBufferPointer) -> Result<(TextClassifier, TextClassifier), ModelDecodingError> in
            do throws(ModelDecodingError) {
                return .success(try Self.classifiers(raw, configuration: configuration))
            } catch {
                return .failure(error)
            }
        }
        let result =
            bytes.withContiguousStorageIfAvailable { decode(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes(decode)
        let (intents, themes) = try result.get()
        self.init(configuration: configuration, intents: intents, themes: themes)
    }

    private static func classifiers(_ bytes: UnsafeRawBufferPointer, configuration: Configuration)
        throws(ModelDecodingError) -> (TextClassifier, TextClassifier)
    {
        var header = ModelReader(bytes)
        guard try header.uint64() == magic else { throw ModelDecodingError("not a trained matcher") }
        let version = try header.uint32()
        guard version == formatVersion else {
            throw ModelDecodingError("format version \(version), where this program reads \(formatVersion)")
        }
        guard try header.uint32() == byteOrderMark else { throw ModelDecodingError("written in another byte order") }
        let length = try header.int()
        let checksum = try header.uint64()
        let bodyStart = MemoryLayout<UInt64>.size * 3 + MemoryLayout<UInt32>.size * 2
        guard length == bytes.count - bodyStart else { throw ModelDecodingError("cut short or followed by more") }
        let body = UnsafeRawBufferPointer(rebasing: bytes[bodyStart...])
        guard ModelWriter.checksum(body) == checksum else { throw ModelDecodingError("damaged (checksum)") }
        var reader = ModelReader(body)
        guard try reader.string() == String(describing: configuration) else {
            throw ModelDecodingError("trained with another configuration")
        }
        let intents = try TextClassifier(decoding: &reader, configuration: configuration.classifier)
        let themes = try TextClassifier(decoding: &reader, configuration: configuration.themeClassifier)
        guard reader.isAtEnd else { throw ModelDecodingError("followed by bytes it does not account for") }
        return (intents, themes)
    }

    /// A key for the matcher trained on these example files with `configuration` by `trainer`: equal inputs give
    /// the same key in every process, and a change to any of them almost surely another, so bytes kept under the
    /// key are never used for other data.
    ///
    /// - Parameters:
    ///   - intentsText: the text of the intent examples file (`Prompts/intents.yaml`).
    ///   - themesText: the text of the theme examples file.
    ///   - trainer: what identifies the training code, such as the program's build: another build may train
    ///     differently from the same data.
    public static func trainingKey(
        intentsText: String, themesText: String, configuration: Configuration = Configuration(), trainer: String
    ) -> UInt64 {
        var writer = ModelWriter()
        writer.append(formatVersion)
        writer.append([trainer, String(describing: configuration), intentsText, themesText])
        return writer.bytes.withUnsafeBytes { ModelWriter.checksum($0) }
    }
}
