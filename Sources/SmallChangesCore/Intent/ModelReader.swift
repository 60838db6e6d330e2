/// Reads what `ModelWriter` wrote, checking every count against the bytes left, so a truncated or damaged
/// model is an error rather than a crash. It reads borrowed memory: use it only inside the `withUnsafeBytes` that
/// gave the buffer.
struct ModelReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset == bytes.count }

    mutating func uint32() throws(ModelDecodingError) -> UInt32 {
        try scalar(UInt32.self)
    }

    mutating func uint64() throws(ModelDecodingError) -> UInt64 {
        try scalar(UInt64.self)
    }

    mutating func int() throws(ModelDecodingError) -> Int {
        let value = Int64(bitPattern: try uint64())
        guard let result = Int(exactly: value) else { throw ModelDecodingError("a number out of range") }
        return result
    }

    mutating func float() throws(ModelDecodingError) -> Float {
        Float(bitPattern: try uint32())
    }

    mutating func string() throws(ModelDecodingError) -> String {
        String(decoding: try array(of: UInt8.self), as: UTF8.self)
    }

    mutating func strings() throws(ModelDecodingError) -> [String] {
        let count = try self.count(elementSize: 8)
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try string()) }
        return result
    }

    /// An array written by `ModelWriter.append(_:)`, copied out in one go.
    mutating func array<Element: BitwiseCopyable>(of _: Element.Type) throws(ModelDecodingError) -> [Element] {
        let count = try self.count(elementSize: MemoryLayout<Element>.stride)
        let size = count * MemoryLayout<Element>.stride
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
        offset += size
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            initialized = count
        }
    }

    /// An array written by `ModelWriter.append(_:)`, read in place: for building other storage from it (tables of
    /// slots) without a copy in between.
    mutating func elements<Element: BitwiseCopyable>(of _: Element.Type) throws(ModelDecodingError) -> Elements<Element>
    {
        let count = try self.count(elementSize: MemoryLayout<Element>.stride)
        let size = count * MemoryLayout<Element>.stride
        let elements = Elements<Element>(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)]))
        offset += size
        return elements
    }

    /// Numbers in the bytes being read, in place; valid as long as those bytes.
    struct Elements<Element: BitwiseCopyable> {
        let bytes: UnsafeRawBufferPointer

        var count: Int { bytes.count / MemoryLayout<Element>.stride }

        subscript(index: Int) -> Element {
            bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<Element>.stride, as: Element.self)
        }
    }

    /// The bytes not read yet, all of them: what follows is another part's to read.
    mutating func rest() -> UnsafeRawBufferPointer {
        let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
        offset = bytes.count
        return rest
    }

    /// A count of elements of `elementSize` bytes each, which the bytes left must be able to hold.
    private mutating func count(elementSize: Int) throws(ModelDecodingError) -> Int {
        let count = try int()
        guard count >= 0, count <= (bytes.count - offset) / max(elementSize, 1) else {
            throw ModelDecodingError("an array longer than the data left")
        }
        return count
    }

    private mutating func scalar<Value: FixedWidthInteger>(_: Value.Type) throws(ModelDecodingError) -> Value {
        let size = MemoryLayout<Value>.size
        guard bytes.count - offset >= size else { throw ModelDecodingError("the data ends early") }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: Value.self)
        offset += size
        return value
    }
}
