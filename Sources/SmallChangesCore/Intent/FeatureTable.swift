/// An open-addressing hash table from a feature's 32-bit hash to its column and idf, built once and then only read.
///
/// One probe usually touches one 8-byte slot, so looking up the n-grams of an answer stays in cache far better
/// than a table with a slot for every possible bucket.
struct FeatureTable: Sendable {
    /// Eight bytes a slot, so more of the table stays in cache: every answer probes it a few hundred times.
    private struct Slot: Sendable {
        var hash: UInt32
        /// Column + 1; 0 marks an empty slot.
        var columnPlusOne: Int32
    }

    private let slots: [Slot]
    private let idf: [Float]
    private let mask: Int

    /// Builds the table for `hashes` (distinct), giving `hashes[i]` column `i` and idf `idf[i]`.
    init(hashes: [UInt32], idf: [Float]) {
        // At most two-thirds full: probes stay short, and the table half the size of a half-full one.
        var capacity = 16
        while capacity * 2 < hashes.count * 3 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(hash: 0, columnPlusOne: 0), count: capacity)
        let mask = capacity - 1
        for (column, hash) in hashes.enumerated() {
            var index = Int(hash) & mask
            while slots[index].columnPlusOne != 0 { index = (index + 1) & mask }
            slots[index] = Slot(hash: hash, columnPlusOne: Int32(column + 1))
        }
        self.slots = slots
        self.idf = idf
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
                if slot.hash == hash { return (slot.columnPlusOne - 1, idf[Int(slot.columnPlusOne - 1)]) }
                index = (index + 1) & mask
            }
        }
    }
}
