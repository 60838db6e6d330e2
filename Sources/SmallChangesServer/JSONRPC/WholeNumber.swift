/// An optional integer field of a method's params, read so that a number it cannot hold (`1.5`, `1e30`) is
/// named by its field: `JSONDecoder` reports that as an error without a coding path.
@propertyWrapper
public struct WholeNumber: Codable, Sendable, Hashable {
    public var wrappedValue: Int?

    public init(wrappedValue: Int?) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            wrappedValue = container.decodeNil() ? nil : try container.decode(Int.self)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not an integer that fits"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// An absent field reads as `nil`, as it does for a plain `Int?`.
    public func decode(_ type: WholeNumber.Type, forKey key: Key) throws -> WholeNumber {
        try decodeIfPresent(type, forKey: key) ?? WholeNumber(wrappedValue: nil)
    }
}

extension KeyedEncodingContainer {
    /// A `nil` field is left out, as it is for a plain `Int?`.
    public mutating func encode(_ value: WholeNumber, forKey key: Key) throws {
        try encodeIfPresent(value.wrappedValue, forKey: key)
    }
}
