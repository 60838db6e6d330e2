/// The centroid of each label's training vectors, L2-normalised, stored sparsely: what lets a classifier say how
/// much an answer looks like the examples of the label it chose, beside how strongly the label's machine voted.
///
/// Each label's centroid is an open-addressing table from column to value, all in one flat array, so the
/// similarity to one label costs one probe per n-gram of the answer, however many labels share the n-gram: a
/// classifier asks only for its best few candidates. The tables hold as many entries as the labels' distinct
/// columns (a dense table would be as large as the weights).
struct CentroidTable: Sendable {
    /// Eight bytes a slot: the column beside its value, so a probe touches one place in memory.
    private struct Slot: Sendable {
        /// Column + 1; 0 marks an empty slot.
        var columnPlusOne: UInt32
        var value: Float
    }

    private let slots: [Slot]
    /// Label `l`'s table occupies `start[l] ..< start[l] + mask[l] + 1` of `slots`.
    private let start: [Int]
    private let mask: [UInt32]
    private let shift: [UInt32]

    var labelCount: Int { start.count }

    /// The centroids of `vectors` (each of unit length) grouped by `labels`, over `columnCount` columns.
    init(vectors: [SparseVector], labels rowLabels: [Int32], labelCount: Int, columnCount: Int) {
        var rowsOfLabel = [[Int]](repeating: [], count: labelCount)
        for (row, label) in rowLabels.enumerated() { rowsOfLabel[Int(label)].append(row) }
        // One label at a time: its sum is gathered in a dense scratch row, then only its touched columns are kept.
        var sum = [Float](repeating: 0, count: columnCount)
        var touched: [Int32] = []
        var slots: [Slot] = []
        var start: [Int] = []
        var mask: [UInt32] = []
        var shift: [UInt32] = []
        for rows in rowsOfLabel {
            touched.removeAll(keepingCapacity: true)
            sum.withUnsafeMutableBufferPointer { sum in
                for row in rows {
                    let vector = vectors[row]
                    vector.columns.withUnsafeBufferPointer { columns in
                        vector.values.withUnsafeBufferPointer { values in
                            let length = values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                            guard length > 0 else { return }
                            let scale = 1 / length
                            for (column, value) in zip(columns, values) {
                                if sum[Int(column)] == 0 { touched.append(column) }
                                sum[Int(column)] += value * scale
                            }
                        }
                    }
                }
            }
            // At most half full, so a probe for a column the label never saw ends soon.
            var bits: UInt32 = 2
            while (1 << bits) < touched.count * 2 { bits += 1 }
            let base = slots.count
            start.append(base)
            mask.append((1 << bits) - 1)
            shift.append(32 - bits)
            slots.append(contentsOf: repeatElement(Slot(columnPlusOne: 0, value: 0), count: 1 << bits))
            sum.withUnsafeMutableBufferPointer { sum in
                slots.withUnsafeMutableBufferPointer { slots in
                    let norm = touched.reduce(Float(0)) { $0 + sum[Int($1)] * sum[Int($1)] }.squareRoot()
                    let table = UnsafeMutableBufferPointer(rebasing: slots[base...])
                    let tableMask = UInt32((1 << bits) - 1)
                    for column in touched {
                        var index = Self.home(UInt32(column), shift: 32 - bits)
                        while table[Int(index)].columnPlusOne != 0 { index = (index + 1) & tableMask }
                        table[Int(index)] = Slot(columnPlusOne: UInt32(column) + 1, value: sum[Int(column)] / norm)
                        sum[Int(column)] = 0
                    }
                }
            }
        }
        self.slots = slots
        self.start = start
        self.mask = mask
        self.shift = shift
    }

    /// Fibonacci hashing: columns are small consecutive numbers, which the top bits of the product spread.
    @inline(__always)
    private static func home(_ column: UInt32, shift: UInt32) -> UInt32 {
        (column &* 2_654_435_769) >> shift
    }

    /// The dot product of `vector` with `label`'s centroid. Answer vectors are scaled so that unseen n-grams count
    /// in their length (see `TextVectorizer`), so this is the cosine in the space of all n-grams.
    func similarity(_ vector: SparseVector, label: Int) -> Float {
        guard label >= 0, label < start.count else { return 0 }
        let base = start[label]
        let mask = mask[label]
        let shift = shift[label]
        var total: Float = 0
        slots.withUnsafeBufferPointer { slots in
            let table = UnsafeBufferPointer(rebasing: slots[base...])
            for (column, value) in zip(vector.columns, vector.values) {
                let wanted = UInt32(column) + 1
                var index = Self.home(UInt32(column), shift: shift)
                while true {
                    let slot = table[Int(index)]
                    if slot.columnPlusOne == wanted {
                        total += value * slot.value
                        break
                    }
                    if slot.columnPlusOne == 0 { break }
                    index = (index + 1) & mask
                }
            }
        }
        return total
    }

    /// The similarity of `vector` to every centroid, in label order.
    func similarities(_ vector: SparseVector) -> [Float] {
        (0..<labelCount).map { similarity(vector, label: $0) }
    }
}

extension CentroidTable {
    /// Writes the tables as they are, so the centroids read back give exactly these similarities.
    func encode(into writer: inout ModelWriter) {
        writer.append(slots.map(\.columnPlusOne))
        writer.append(slots.map(\.value))
        writer.append(start.map { Int64($0) })
        writer.append(mask)
        writer.append(shift)
    }

    /// Reads centroids written by `encode(into:)`, for `labelCount` labels over `columnCount` columns.
    init(decoding reader: inout ModelReader, labelCount: Int, columnCount: Int) throws(ModelDecodingError) {
        let columns = try reader.elements(of: UInt32.self)
        let values = try reader.elements(of: Float.self)
        let start = try reader.array(of: Int64.self).map { Int(truncatingIfNeeded: $0) }
        let mask = try reader.array(of: UInt32.self)
        let shift = try reader.array(of: UInt32.self)
        let malformed = ModelDecodingError("a centroid table that is not well formed")
        guard columns.count == values.count, start.count == labelCount, mask.count == labelCount,
            shift.count == labelCount
        else { throw malformed }
        var wellFormed = true
        slots = [Slot](unsafeUninitializedCapacity: columns.count) { slots, initialized in
            for index in 0..<columns.count {
                let column = columns[index]
                wellFormed = wellFormed && column <= columnCount
                slots.initializeElement(at: index, to: Slot(columnPlusOne: column, value: values[index]))
            }
            initialized = columns.count
        }
        guard wellFormed else { throw malformed }
        for label in 0..<labelCount {
            // Each label's table has a power-of-two size that its shift matches, lies inside the slots, and has an
            // empty slot to end a probe.
            let size = Int(mask[label]) + 1
            guard (4...(1 << 31)).contains(size), size & (size - 1) == 0,
                shift[label] == UInt32(32 - size.trailingZeroBitCount), start[label] >= 0,
                start[label] <= slots.count - size,
                slots[start[label]..<(start[label] + size)].contains(where: { $0.columnPlusOne == 0 })
            else { throw malformed }
        }
        self.start = start
        self.mask = mask
        self.shift = shift
    }
}
