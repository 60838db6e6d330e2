/// Reads what `ModelWriter` wrote, checking every count against the bytes left, so a truncated or damaged
/// model is an error rather than a crash. It reads borrowed memory: it exists only inside `reading(_:_:)`.
package struct ModelReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// What `body` reads from `bytes`, with a reader valid only during the call.
    package static func reading<Value>(
        _ bytes: some Collection<UInt8>, _ body: (inout ModelReader) throws(ModelDecodingError) -> Value
    ) throws(ModelDecodingError) -> Value {
        func read(_ raw: UnsafeRawBufferPointer) -> Result<Value, ModelDecodingError> {
            var reader = ModelReader(raw)
            do throws(ModelDecodingError) {
                return .success(try body(&reader))
            } catch {
                return .failure(error)
            }
        }
        return try
            (bytes.withContiguousStorageIfAvailable { read(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes(read)).get()
    }

    /// Whether every byte has been read.
    package var isAtEnd: Bool { offset == bytes.count }

    /// How many bytes have been read.
    package var position: Int { offset }

    /// Goes to `position` bytes from the start, to read on from there.
    package mutating func move(to position: Int) throws(ModelDecodingError) {
        guard (0...bytes.count).contains(position) else { throw ModelDecodingError("the data ends early") }
        offset = position
    }

    /// The body of what `ModelWriter.framed(magic:version:)` wrote, which must fill the rest of the bytes: the
    /// header is checked (`kind` names what was expected in errors) and the body's checksum verified.
    package mutating func frame(magic: UInt64, version: UInt32, kind: String) throws(ModelDecodingError)
        -> ModelReader
    {
        guard try uint64() == magic else { throw ModelDecodingError("not \(kind)") }
        let found = try uint32()
        guard found == version else {
            throw ModelDecodingError("format version \(found), where this program reads \(version)")
        }
        guard try uint32() == ModelWriter.byteOrderMark else {
            throw ModelDecodingError("written in another byte order")
        }
        let length = try int()
        let checksum = try uint64()
        guard length == bytes.count - offset else { throw ModelDecodingError("cut short or followed by more") }
        let body = rest()
        guard ModelWriter.checksum(body) == checksum else { throw ModelDecodingError("damaged (checksum)") }
        return ModelReader(body)
    }

    package mutating func uint32() throws(ModelDecodingError) -> UInt32 {
        try scalar(UInt32.self)
    }

    package mutating func uint64() throws(ModelDecodingError) -> UInt64 {
        try scalar(UInt64.self)
    }

    package mutating func int() throws(ModelDecodingError) -> Int {
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
    package mutating func array<Element: BitwiseCopyable>(of _: Element.Type) throws(ModelDecodingError) -> [Element] {
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

    /// The bytes not read yet, all of them.
    private mutating func rest() -> UnsafeRawBufferPointer {
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
