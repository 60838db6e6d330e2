public import TextClassification

extension IntentMatcher {
    /// The version of `encoded()`'s layout; bytes of any other version are refused, so changing the layout means
    /// raising it.
    static let formatVersion: UInt32 = 1
    /// "SCMATCH" and the byte 0x01 as the file's first eight bytes.
    private static let magic: UInt64 = 0x0148_4354_414D_4353

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
        return body.framed(magic: Self.magic, version: Self.formatVersion)
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
        let (intents, themes) = try ModelReader.reading(bytes) { reader throws(ModelDecodingError) in
            try Self.classifiers(&reader, configuration: configuration)
        }
        self.init(configuration: configuration, intents: intents, themes: themes)
    }

    /// Reads the matcher `encoded()` wrote from the rest of `reader`'s bytes.
    convenience init(reading reader: inout ModelReader, configuration: Configuration) throws(ModelDecodingError) {
        let (intents, themes) = try Self.classifiers(&reader, configuration: configuration)
        self.init(configuration: configuration, intents: intents, themes: themes)
    }

    private static func classifiers(_ reader: inout ModelReader, configuration: Configuration)
        throws(ModelDecodingError) -> (TextClassifier, TextClassifier)
    {
        var body = try reader.frame(magic: magic, version: formatVersion, kind: "a trained matcher")
        let intents = try TextClassifier(decoding: &body, configuration: configuration.classifier)
        let themes = try TextClassifier(decoding: &body, configuration: configuration.themeClassifier)
        guard body.isAtEnd else { throw ModelDecodingError("followed by bytes it does not account for") }
        return (intents, themes)
    }
}
