/// An open-addressing hash table from a feature's 32-bit hash to its column and idf, built once and then only read.
///
/// A slot holds the hash, the column and the idf together, so looking up one n-gram of an answer touches one
/// place in memory: the table is too big for the core's own cache, and every answer probes it a few hundred times.
struct FeatureTable: Sendable {
    /// Twelve bytes a slot: the idf sits beside the column rather than in an array of its own, which would cost
    /// a second cache miss per n-gram.
    private struct Slot: Sendable {
        var hash: UInt32
        /// Column + 1; 0 marks an empty slot.
        var columnPlusOne: Int32
        var idf: Float
    }

    private let slots: [Slot]
    private let mask: Int

    /// Builds the table for `hashes` (distinct), giving `hashes[i]` column `i` and idf `idf[i]`.
    init(hashes: [UInt32], idf: [Float]) {
        // At most two-thirds full: probes stay short, and the table half the size of a half-full one.
        var capacity = 16
        while capacity * 2 < hashes.count * 3 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(hash: 0, columnPlusOne: 0, idf: 0), count: capacity)
        let mask = capacity - 1
        for (column, hash) in hashes.enumerated() {
            var index = Int(hash) & mask
            while slots[index].columnPlusOne != 0 { index = (index + 1) & mask }
            slots[index] = Slot(hash: hash, columnPlusOne: Int32(column + 1), idf: idf[column])
        }
        self.slots = slots
        self.mask = mask
    }

    /// The column and idf of `hash`, or `nil` when the feature was never seen in training.
    @inline(__always)
    func lookup(_ hash: UInt32) -> (column: Int32, idf: Float)? {
        slots.withUnsafeBufferPointer { slots in
            var index = Int(hash) & mask
            while true {
                let slot = slots[index]
                if slot.columnPlusOne == 0 { return nil }
                if slot.hash == hash { return (slot.columnPlusOne - 1, slot.idf) }
                index = (index + 1) & mask
            }
        }
    }
}

extension FeatureTable {
    /// Writes the slots as they are, so the table read back probes exactly as this one.
    func encode(into writer: inout ModelWriter) {
        writer.append(slots.map(\.hash))
        writer.append(slots.map(\.columnPlusOne))
        writer.append(slots.map(\.idf))
    }

    /// Reads a table written by `encode(into:)` for a vocabulary of `columnCount` columns.
    init(decoding reader: inout ModelReader, columnCount: Int) throws(ModelDecodingError) {
        let hashes = try reader.elements(of: UInt32.self)
        let columns = try reader.elements(of: Int32.self)
        let idf = try reader.elements(of: Float.self)
        let capacity = hashes.count
        let malformed = ModelDecodingError("a feature table that is not well formed")
        guard capacity >= 16, capacity & (capacity - 1) == 0, columns.count == capacity, idf.count == capacity else {
            throw malformed
        }
        var wellFormed = true
        var empty = false
        slots = [Slot](unsafeUninitializedCapacity: capacity) { slots, initialized in
            for index in 0..<capacity {
                let column = columns[index]
                wellFormed = wellFormed && column >= 0 && column <= columnCount
                empty = empty || column == 0
                slots.initializeElement(
                    at: index, to: Slot(hash: hashes[index], columnPlusOne: column, idf: idf[index]))
            }
            initialized = capacity
        }
        // A lookup stops at an empty slot, so a full table would never end one for an unknown n-gram.
        guard wellFormed, empty else { throw malformed }
        mask = capacity - 1
    }
}
