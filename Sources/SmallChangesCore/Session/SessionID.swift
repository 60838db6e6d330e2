/// A session's identifier: minted by the program, never taken from a user or client as a path.
///
/// Ids look like `s-7k2m9q4xw3ha`: a fixed prefix and twelve characters from an unambiguous alphabet,
/// about 60 bits of randomness, so they can be typed and cannot be guessed.
public struct SessionID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    static let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz".utf8)
    static let length = 12

    /// Which bytes are in the alphabet.
    private static let inAlphabet: [Bool] = (0..<256).map { alphabet.contains(UInt8($0)) }

    /// Accepts only well-formed ids, so a malformed one never reaches a query or a path.
    public init?(rawValue: String) {
        let bytes = rawValue.utf8
        guard bytes.count == Self.length + 2, bytes.starts(with: "s-".utf8),
            bytes.dropFirst(2).allSatisfy({ Self.inAlphabet[Int($0)] })
        else { return nil }
        self.rawValue = rawValue
    }

    /// Mints a fresh id from the given source of randomness.
    ///
    /// Each character takes five random bits, and the one value the 31-letter alphabet lacks is drawn
    /// again, so every character is uniform; two 64-bit draws are almost always enough.
    public static func mint<G: RandomNumberGenerator>(using generator: inout G) -> SessionID {
        var body: [UInt8] = [UInt8(ascii: "s"), UInt8(ascii: "-")]
        body.reserveCapacity(length + 2)
        var bits: UInt64 = 0
        var available = 0
        while body.count < length + 2 {
            if available < 5 {
                bits = generator.next()
                available = 64
            }
            let value = Int(bits & 0x1F)
            bits >>= 5
            available -= 5
            if value < alphabet.count { body.append(alphabet[value]) }
        }
        return SessionID(unchecked: String(decoding: body, as: UTF8.self))
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
