import SmallChangesCore

/// A JSON value read from one request line (RFC 8259, strictly: no comments, no trailing commas, no
/// control characters or lone surrogates in strings).
///
/// The server reads every line into this tree once and decodes each method's `Params` from it with
/// `JSONValueDecoder`; Foundation's `JSONDecoder` did the same work in about five times the time, and
/// the envelope is read on every turn.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as written, so an integer id keeps every digit.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in the order written; when a key repeats, the last one counts.
    case object([(key: String, value: JSONValue)])

    /// The value of `key` in an object (the last one, if the key repeats).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// Parses a whole line; `nil` when it is not exactly one JSON value (surrounding whitespace allowed),
    /// when a string is not valid UTF-8, or when containers nest deeper than `maximumDepth` (so the
    /// recursion is bounded).
    public static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = 512) -> JSONValue? {
        var reader = Reader(bytes: bytes, maximumDepth: maximumDepth)
        reader.skipWhitespace()
        guard let value = reader.value() else { return nil }
        reader.skipWhitespace()
        return reader.index == bytes.count ? value : nil
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}

private struct Reader {
    let bytes: UnsafeRawBufferPointer
    let maximumDepth: Int
    var index = 0
    /// How many objects and arrays enclose the current position.
    var depth = 0

    init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count, MessageParser.isWhitespace(bytes[index]) { index += 1 }
    }

    mutating func value() -> JSONValue? {
        guard let byte = current else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return nil }
        index += count
        return value
    }

    private mutating func object() -> JSONValue? {
        var members: [(key: String, value: JSONValue)] = []
        // A request has four members and its params one to three: room for them without regrowing.
        members.reserveCapacity(4)
        let read = container(closedBy: UInt8(ascii: "}")) { reader in
            guard reader.current == UInt8(ascii: "\""), let key = reader.string() else { return false }
            reader.skipWhitespace()
            guard reader.current == UInt8(ascii: ":") else { return false }
            reader.index += 1
            reader.skipWhitespace()
            guard let value = reader.value() else { return false }
            members.append((key, value))
            return true
        }
        return read ? .object(members) : nil
    }

    private mutating func array() -> JSONValue? {
        var elements: [JSONValue] = []
        let read = container(closedBy: UInt8(ascii: "]")) { reader in
            guard let value = reader.value() else { return false }
            elements.append(value)
            return true
        }
        return read ? .array(elements) : nil
    }

    /// Reads an object or an array from its opening byte to `close`, `element` reading each member or element
    /// (whitespace around it is skipped here); false if it is malformed or nested deeper than `maximumDepth`.
    private mutating func container(closedBy close: UInt8, _ element: (inout Reader) -> Bool) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= maximumDepth else { return false }
        index += 1
        skipWhitespace()
        if current == close {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            guard element(&self) else { return false }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case close:
                index += 1
                return true
            default: return false
            }
        }
    }

    /// A string from its opening quote; `nil` if it is cut off, holds a control character or a bad
    /// escape, or is not valid UTF-8.
    private mutating func string() -> String? {
        index += 1
        let start = index
        // Most strings have no escapes: take them straight from the buffer.
        index = UTF8Scan.firstJSONSpecial(in: bytes.assumingMemoryBound(to: UInt8.self), from: index)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = Self.text(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            index += 1
        }
        var scalars = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return scalars.withUnsafeBytes(Self.text)
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = escape() else { return nil }
                scalars.append(contentsOf: escaped)
            case 0..<0x20:
                return nil
            default:
                scalars.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// The string of some UTF-8 bytes, or `nil` if they are not valid UTF-8. ASCII, by far the most common,
    /// is checked eight bytes at a time.
    private static func text(_ bytes: UnsafeRawBufferPointer) -> String? {
        let units = bytes.assumingMemoryBound(to: UInt8.self)
        if UTF8Scan.isASCII(units) { return String(decoding: units, as: UTF8.self) }
        return String(validating: units, as: UTF8.self)
    }

    /// The UTF-8 bytes of one escape, after its backslash.
    private mutating func escape() -> [UInt8]? {
        guard let byte = current else { return nil }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return nil }
            var scalar: Unicode.Scalar?
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed by an escaped low one.
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else { return nil }
                index += 2
                guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF:
                return nil
            default:
                scalar = Unicode.Scalar(unit)
            }
            guard let scalar else { return nil }
            return Array(String(Character(scalar)).utf8)
        default:
            return nil
        }
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> JSONValue? {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, Self.isDigit(first) else { return nil }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let digit = current, Self.isDigit(digit) else { return nil }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, Self.isDigit(digit) else { return nil }
            skipDigits()
        }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
