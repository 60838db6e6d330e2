import Foundation

/// A strict check of one line's JSON syntax (RFC 8259: no trailing commas, no leading zeros, no control characters
/// or lone surrogate escapes in strings), run before `JSONDecoder` reads it.
///
/// `JSONDecoder` only looks closely at the members a type reads, and accepts trailing commas: this pass makes
/// every line held to the same rule whichever method it names. Where an object repeats a key, the last member
/// counts (`JSONDecoder` would keep the first), so the earlier ones are noted and left out of the line it reads.
/// It reads no other values; the wire's shapes are defined by the Codable types alone. Nesting deeper than
/// `maximumDepth` fails the check, so the recursion is bounded.
struct JSONSyntax {
    /// A key of one object, that object numbered in the order the line opens them.
    private struct Member: Hashable {
        var object: Int
        var key: String
    }

    private let bytes: Data
    private let maximumDepth: Int
    private var index: Int
    private var depth = 0
    /// Whether a byte outside ASCII was seen: only then must the line's UTF-8 be checked.
    private var sawNonASCII = false
    /// Whether the last string read held an escape, so its bytes are not its text.
    private var sawEscape = false
    private var objects = 0
    /// Where each key's member ends with its comma, for the members a later one of the same key may replace.
    private var members: [Member: Range<Int>] = [:]
    /// The members, each with its comma, that a later member of the same object and key replaces.
    private var replaced: [Range<Int>] = []

    /// The line as `JSONDecoder` is to read it (without the members a repeated key replaces), or `nil` unless it
    /// is exactly one JSON value (whitespace around it allowed), valid UTF-8, nested at most `maximumDepth` deep.
    static func checked(_ bytes: Data, maximumDepth: Int) -> Data? {
        var syntax = JSONSyntax(bytes: bytes, maximumDepth: maximumDepth, index: bytes.startIndex)
        syntax.skipWhitespace()
        guard syntax.value() else { return nil }
        syntax.skipWhitespace()
        guard syntax.index == bytes.endIndex else { return nil }
        guard !syntax.sawNonASCII || String(validating: bytes, as: UTF8.self) != nil else { return nil }
        guard !syntax.replaced.isEmpty else { return bytes }
        // A replaced member may hold others; sorted by start, those come after it and within it.
        var kept = Data()
        var next = bytes.startIndex
        for range in syntax.replaced.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= next {
            kept += bytes[next..<range.lowerBound]
            next = range.upperBound
        }
        kept += bytes[next...]
        return kept
    }

    private var current: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, MessageParser.isWhitespace(byte) { index += 1 }
    }

    private mutating func value() -> Bool {
        switch current {
        case UInt8(ascii: "{"): container(closedBy: UInt8(ascii: "}"), member: true)
        case UInt8(ascii: "["): container(closedBy: UInt8(ascii: "]"), member: false)
        case UInt8(ascii: "\""): string()
        case UInt8(ascii: "t"): literal("true")
        case UInt8(ascii: "f"): literal("false")
        case UInt8(ascii: "n"): literal("null")
        case nil: false
        default: number()
        }
    }

    private mutating func literal(_ word: String) -> Bool {
        for byte in word.utf8 {
            guard current == byte else { return false }
            index += 1
        }
        return true
    }

    /// An object (each element a `"key": value` member) or an array, from its opening byte to `close`.
    private mutating func container(closedBy close: UInt8, member: Bool) -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= maximumDepth else { return false }
        index += 1
        skipWhitespace()
        if current == close {
            index += 1
            return true
        }
        var object: Int?
        if member {
            objects += 1
            object = objects
        }
        while true {
            skipWhitespace()
            let start = index
            var key: Member?
            if let object {
                guard current == UInt8(ascii: "\""), string() else { return false }
                key = Member(object: object, key: text(start..<index))
                if let key, let earlier = members[key] { replaced.append(earlier) }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { return false }
                index += 1
                skipWhitespace()
            }
            guard value() else { return false }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                if let key { members[key] = start..<index }
            case close:
                index += 1
                return true
            default: return false
            }
        }
    }

    /// A string from its opening quote: no control characters, only JSON's escapes, surrogates in pairs.
    private mutating func string() -> Bool {
        index += 1
        sawEscape = false
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return true
            case 0..<0x20: return false
            case UInt8(ascii: "\\"):
                sawEscape = true
                guard escape() else { return false }
            case 0x80...: sawNonASCII = true
            default: break
            }
        }
        return false
    }

    /// The text of the string that `quoted` spans, quotes included.
    private func text(_ quoted: Range<Int>) -> String {
        if sawEscape, let text = try? MessageParser.decoder.decode(String.self, from: bytes[quoted]) { return text }
        return String(decoding: bytes[(quoted.lowerBound + 1)..<(quoted.upperBound - 1)], as: UTF8.self)
    }

    private mutating func escape() -> Bool {
        guard let byte = current else { return false }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return false }
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed by an escaped low one.
                guard current == UInt8(ascii: "\\") else { return false }
                index += 1
                guard current == UInt8(ascii: "u") else { return false }
                index += 1
                guard let low = hex4() else { return false }
                return (0xDC00...0xDFFF).contains(low)
            case 0xDC00...0xDFFF: return false
            default: return true
            }
        default:
            return false
        }
    }

    private mutating func hex4() -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexDigit(byte) else { return nil }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> Bool {
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, Self.isDigit(first) else { return false }
        if first == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if current == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() else { return false }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() else { return false }
        }
        return true
    }

    /// Skips a run of digits; false when there was none.
    @discardableResult
    private mutating func skipDigits() -> Bool {
        let start = index
        while let byte = current, Self.isDigit(byte) { index += 1 }
        return index > start
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
