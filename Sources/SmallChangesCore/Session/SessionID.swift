/// A session's identifier: minted by the program, never taken from a user or client as a path.
///
/// Ids look like `s-7k2m9q4xw3ha`: a fixed prefix and twelve characters from an unambiguous alphabet,
/// about 60 bits of randomness, so they can be typed and cannot be guessed.
public struct SessionID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    static let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")
    static let length = 12

    /// Accepts only well-formed ids, so a malformed one never reaches a query or a path.
    public init?(rawValue: String) {
        guard rawValue.hasPrefix("s-") else { return nil }
        let body = rawValue.dropFirst(2)
        guard body.count == Self.length, body.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        self.rawValue = rawValue
    }

    /// Mints a fresh id from the given source of randomness.
    public static func mint<G: RandomNumberGenerator>(using generator: inout G) -> SessionID {
        let body = (0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }
        return SessionID(unchecked: "s-" + String(body))
    }

    /// Mints a fresh id from the system's random source.
    public static func mint() -> SessionID {
        var generator = SystemRandomNumberGenerator()
        return mint(using: &generator)
    }

    private init(unchecked: String) { rawValue = unchecked }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let id = SessionID(rawValue: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a session id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
