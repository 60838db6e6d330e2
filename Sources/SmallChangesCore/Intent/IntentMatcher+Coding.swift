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
    /// A header (magic, format version, byte order, length and checksum of the rest), then the two classifiers,
    /// each writing its own trained state. The configuration is not written: whoever keeps the bytes keeps them
    /// under a key that covers it (the program's build, which fixes the default configuration).
    public func encoded() -> [UInt8] {
        var body = ModelWriter()
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
    /// `configuration` (it is not checked: describing a configuration by reflection costs more than reading the
    /// rest).
    ///
    /// - Throws: `ModelDecodingError` when the bytes are damaged or cut short, or come from another format
    ///   version or byte order: train again then.
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
        let intents = try TextClassifier(decoding: &reader, configuration: configuration.classifier)
        let themes = try TextClassifier(decoding: &reader, configuration: configuration.themeClassifier)
        guard reader.isAtEnd else { throw ModelDecodingError("followed by bytes it does not account for") }
        return (intents, themes)
    }
}
