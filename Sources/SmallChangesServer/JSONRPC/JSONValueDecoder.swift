/// Decodes `Decodable` types from a `JSONValue`, throwing the same `DecodingError`s as Foundation's
/// `JSONDecoder` (key not found, type mismatch, value not found, data corrupted) with the coding
/// path, so `Request.describe` names the field that was wrong.
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, codingPath: [any CodingKey] = []) {
        self.value = value
        self.codingPath = codingPath
    }

    /// Decodes `T` from `value`.
    static func decode<T: Decodable>(_: T.Type, from value: JSONValue, codingPath: [any CodingKey] = []) throws -> T {
        try T(from: JSONValueDecoder(value, codingPath: codingPath))
    }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Any].self, value, codingPath) }
        return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([Any].self, value, codingPath) }
        return Unkeyed(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        Single(value: value, codingPath: codingPath)
    }
}

/// A key for coding paths: a member name or an array position.
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    if case .null = value {
        return .valueNotFound(type, .init(codingPath: path, debugDescription: "null"))
    }
    return .typeMismatch(type, .init(codingPath: path, debugDescription: "another type"))
}

/// The leaf decoding every container shares.
private func decodeScalar<T: Decodable>(_: T.Type, from value: JSONValue, path: [any CodingKey]) throws -> T {
    let scalar: Any
    switch T.self {
    case is String.Type:
        guard case .string(let text) = value else { throw mismatch(T.self, value, path) }
        scalar = text
    case is Bool.Type:
        guard case .bool(let flag) = value else { throw mismatch(T.self, value, path) }
        scalar = flag
    case is Int.Type: scalar = try integer(Int.self, value, path)
    case is Int64.Type: scalar = try integer(Int64.self, value, path)
    case is Int32.Type: scalar = try integer(Int32.self, value, path)
    case is UInt.Type: scalar = try integer(UInt.self, value, path)
    case is UInt64.Type: scalar = try integer(UInt64.self, value, path)
    case is Double.Type:
        guard case .number(let text) = value, let number = Double(text) else { throw mismatch(T.self, value, path) }
        scalar = number
    case is Float.Type:
        guard case .number(let text) = value, let number = Float(text) else { throw mismatch(T.self, value, path) }
        scalar = number
    default:
        return try T(from: JSONValueDecoder(value, codingPath: path))
    }
    guard let result = scalar as? T else { throw mismatch(T.self, value, path) }
    return result
}

/// An integer, written as one ("12") or as a number with nothing after the point ("12.0", "1.2e1").
private func integer<I: FixedWidthInteger>(_: I.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> I {
    guard case .number(let text) = value else { throw mismatch(I.self, value, path) }
    if let exact = I(text) { return exact }
    if let number = Double(text), number.rounded() == number, let exact = I(exactly: number) { return exact }
    throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "number does not fit"))
}

private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(key: String, value: JSONValue)]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    private func lookup(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        return members.last { $0.key == name }?.value
    }

    private func require(_ key: Key) throws -> JSONValue {
        guard let value = lookup(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try require(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeScalar(type, from: try require(key), path: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = lookup(key) else { return nil }
        if case .null = value { return nil }
        return try decodeScalar(type, from: value, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try JSONValueDecoder(try require(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoder(try require(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoder(Key(stringValue: "super").flatMap(lookup) ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(lookup(key) ?? .null, codingPath: codingPath + [key])
    }
}

private struct Unkeyed: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        let path = codingPath + [JSONKey(intValue: currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "past the end"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try decodeScalar(type, from: value, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (value, path) = try next([String: Any].self)
        return try JSONValueDecoder(value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([Any].self)
        return try JSONValueDecoder(value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(Any.self)
        return JSONValueDecoder(value, codingPath: path)
    }
}

private struct Single: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeScalar(type, from: value, path: codingPath)
    }
}
