/// Writes JSON text straight into bytes: the encoder for the results sent on every turn, where
/// Foundation's `JSONEncoder` (a boxed value tree, then a sort of every object's keys) was a tenth of the
/// server's time.
///
/// The writer emits exactly what `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` emits, so
/// callers must write each object's keys in sorted order; `ResponseEncoderTests` holds the two to the same bytes.
struct JSONWriter {
    private(set) var bytes: [UInt8]
    /// True after a value, so the next key or array element is preceded by a comma.
    private var needsComma = false

    init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's key; `name` must need no escaping.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        write(name)
        write("\":")
        needsComma = false
    }

    mutating func value(_ bool: Bool) {
        separate()
        bytes.append(contentsOf: bool ? Self.trueBytes : Self.falseBytes)
        needsComma = true
    }

    mutating func value(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    mutating func value(_ number: Int64) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    /// Writes a finite number as `JSONEncoder` does (shortest round-trip form, no trailing `.0`);
    /// returns false, writing nothing, for NaN or an infinity, which JSON cannot carry.
    mutating func value(_ number: Double) -> Bool {
        guard number.isFinite else { return false }
        separate()
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
        needsComma = true
        return true
    }

    mutating func null() {
        separate()
        write("null")
        needsComma = true
    }

    /// A string, with `"`, `\` and the control characters escaped; everything else, `/`, U+2028 and
    /// emoji included, is written as its UTF-8 bytes, which JSON allows.
    mutating func value(_ string: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): write("\\\"")
                case UInt8(ascii: "\\"): write("\\\\")
                case 0x0A: write("\\n")
                case 0x0D: write("\\r")
                case 0x09: write("\\t")
                case 0x08: write("\\b")
                case 0x0C: write("\\f")
                default:
                    write("\\u00")
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func value(_ strings: [String]) {
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    /// Ends the line.
    mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes bytes that are already a JSON value.
    mutating func rawValue(_ text: StaticString) {
        separate()
        write(text)
        needsComma = true
    }

    private mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
