/// Writes a trained model as bytes: numbers in the machine's byte order, arrays as a count and their raw
/// elements, so reading one back is a single copy per array (decoding large float arrays from JSON or element by
/// element costs more than training some of them).
///
/// The classifier types write themselves through it; `framed(magic:version:)` puts a header and a checksum in
/// front, which `ModelReader.frame(magic:version:kind:)` checks before anything is read.
package struct ModelWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    /// The bytes written so far behind a header: `magic`, the format `version`, a byte-order mark, their length
    /// and their checksum.
    package func framed(magic: UInt64, version: UInt32) -> [UInt8] {
        var header = ModelWriter()
        header.append(magic)
        header.append(version)
        header.append(Self.byteOrderMark)
        header.append(bytes.count)
        header.append(Self.checksum(bytes))
        return header.bytes + bytes
    }

    /// Numbers are written in the machine's byte order: a reader of the other order sees this reversed.
    static let byteOrderMark: UInt32 = 0x0102_0304

    package mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    package mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    package mutating func append(_ value: Int) {
        append(UInt64(bitPattern: Int64(value)))
    }

    package mutating func append(_ value: Float) {
        append(value.bitPattern)
    }

    package mutating func append(_ text: String) {
        append(Array(text.utf8))
    }

    /// An array of fixed-width numbers (`Float`, `UInt32`, `Int32`, `Int64`, `UInt8`): its count, then its
    /// elements as they lie in memory.
    package mutating func append<Element: BitwiseCopyable>(_ values: [Element]) {
        append(values.count)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    package mutating func append(_ values: [String]) {
        append(values.count)
        for value in values { append(value) }
    }

    /// A 64-bit digest of `bytes` for telling a damaged file from a good one (not a cryptographic hash): FNV-1a's
    /// multiply over eight bytes at a time in four independent lanes, then mixed, so several megabytes take well
    /// under a millisecond.
    package static func checksum(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes(checksum)
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x0000_0100_0000_01B3
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (
            0xCBF2_9CE4_8422_2325, 0x8422_2325_CBF2_9CE4, 0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F
        )
        var offset = 0
        while offset + 32 <= bytes.count {
            lanes.0 = (lanes.0 ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* prime
            lanes.1 = (lanes.1 ^ bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* prime
            lanes.2 = (lanes.2 ^ bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)) &* prime
            lanes.3 = (lanes.3 ^ bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)) &* prime
            lanes.0 ^= lanes.0 >> 29
            lanes.1 ^= lanes.1 >> 29
            lanes.2 ^= lanes.2 >> 29
            lanes.3 ^= lanes.3 >> 29
            offset += 32
        }
        var hash = lanes.0
        for lane in [lanes.1, lanes.2, lanes.3] { hash = (hash ^ lane) &* prime }
        while offset < bytes.count {
            hash = (hash ^ UInt64(bytes[offset])) &* prime
            offset += 1
        }
        hash ^= UInt64(bytes.count)
        hash = (hash ^ (hash >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        return hash ^ (hash >> 33)
    }
}
