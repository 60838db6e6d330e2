import NIOCore
import SmallChangesCore

/// Writes JSON text straight into bytes: the encoder for the results sent on every turn, where
/// Foundation's `JSONEncoder` (a boxed value tree, then a sort of every object's keys) was a tenth of the
/// server's time.
///
/// The writer emits exactly what `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` emits, so
/// callers must write each object's keys in sorted order; `ResponseEncoderTests` holds the two to the same bytes.
///
/// The bytes live in memory the writer owns and grows itself (hence not copyable): a reply is a few
/// hundred small writes, and appending to an `Array` costs a trip through generic code each time.
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// True after a value, so the next key or array element is preceded by a comma.
    private var needsComma = false

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// What has been written, as a buffer to send.
    var buffer: ByteBuffer {
        ByteBuffer(bytes: UnsafeRawBufferPointer(start: base, count: count))
    }

    mutating func beginObject() {
        separate()
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's key; `name` must need no escaping.
    mutating func key(_ name: StaticString) {
        separate()
        append(UInt8(ascii: "\""))
        write(name)
        write("\":")
        needsComma = false
    }

    mutating func value(_ bool: Bool) {
        separate()
        append(contentsOf: bool ? Self.trueBytes : Self.falseBytes)
        needsComma = true
    }

    mutating func value(_ number: Int) {
        separate()
        append(contentsOf: String(number).utf8)
        needsComma = true
    }

    mutating func value(_ number: Int64) {
        separate()
        append(contentsOf: String(number).utf8)
        needsComma = true
    }

    /// An integer given as its digits (checked by the caller: an optional `-`, then digits only).
    mutating func integer(_ digits: String) {
        separate()
        append(contentsOf: digits.utf8)
        needsComma = true
    }

    /// Writes a finite number as `JSONEncoder` does (shortest round-trip form, no trailing `.0`);
    /// returns false, writing nothing, for NaN or an infinity, which JSON cannot carry.
    mutating func value(_ number: Double) -> Bool {
        guard number.isFinite else { return false }
        separate()
        var digits = NumberText()
        number.write(to: &digits)
        digits.withBytes { text in
            // `description`'s digits, as `JSONEncoder` writes them: a whole number loses its ".0".
            let whole = text.count >= 2 && text[text.count - 2] == UInt8(ascii: ".") && text[text.count - 1] == 0x30
            append(contentsOf: UnsafeBufferPointer(rebasing: text[..<(whole ? text.count - 2 : text.count)]))
        }
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
        append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            var index = UTF8Scan.firstJSONSpecial(in: utf8, from: 0)
            while index < utf8.count {
                let byte = utf8[index]
                if start < index { append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
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
                    append(Self.hexDigits[Int(byte >> 4)])
                    append(Self.hexDigits[Int(byte & 0x0F)])
                }
                index = UTF8Scan.firstJSONSpecial(in: utf8, from: index + 1)
            }
            if start < utf8.count { append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func value(_ strings: [String]) {
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    /// Ends the line.
    mutating func newline() {
        append(UInt8(ascii: "\n"))
    }

    /// Writes bytes that are already a JSON value.
    mutating func rawValue(_ text: StaticString) {
        separate()
        write(text)
        needsComma = true
    }

    private mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    private mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    private mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    private mutating func append(contentsOf text: String.UTF8View) {
        var text = String(text)
        text.withUTF8 { append(contentsOf: $0) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    private mutating func separate() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

/// The text of one number, kept on the stack: `Double.description` would allocate a string for most
/// probabilities (they take 17 or 18 characters), and a reply carries several.
struct NumberText: TextOutputStream {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var count = 0
    /// Text that did not fit (never, for a number) or came as a `String`.
    private var overflow: [UInt8] = []

    mutating func write(_ string: String) {
        for byte in string.utf8 { append(byte) }
    }

    /// What `Double.write(to:)` calls with its digits: taken here without making a `String` of them.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard overflow.isEmpty, count + buffer.count <= MemoryLayout.size(ofValue: storage) else {
            for byte in buffer { append(byte) }
            return
        }
        let start = count
        withUnsafeMutableBytes(of: &storage) {
            UnsafeMutableRawBufferPointer(rebasing: $0[start...]).copyMemory(from: UnsafeRawBufferPointer(buffer))
        }
        count += buffer.count
    }

    private mutating func append(_ byte: UInt8) {
        if overflow.isEmpty && count < MemoryLayout.size(ofValue: storage) {
            withUnsafeMutableBytes(of: &storage) { $0[count] = byte }
            count += 1
        } else {
            if overflow.isEmpty { overflow = withUnsafeBytes(of: storage) { Array($0.prefix(count)) } }
            overflow.append(byte)
        }
    }

    /// The text written, as bytes.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if !overflow.isEmpty { return overflow.withUnsafeBufferPointer(body) }
        return withUnsafeBytes(of: storage) { raw in
            body(UnsafeBufferPointer(rebasing: raw.assumingMemoryBound(to: UInt8.self)[..<count]))
        }
    }
}
