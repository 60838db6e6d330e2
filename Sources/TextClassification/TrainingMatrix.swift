/// Training vectors in compressed sparse rows, each with a constant bias feature in the last column.
struct TrainingMatrix: Sendable {
    /// The value of the bias feature (LIBLINEAR's `-B 1`).
    static let biasValue: Float = 1

    /// Row `r` occupies `rowStart[r] ..< rowStart[r + 1]` of `columns` and `values`.
    let rowStart: [Int]
    let columns: [Int32]
    let values: [Float]
    /// Label index of each row.
    let labels: [Int32]
    /// Number of columns including the bias column.
    let width: Int

    var rowCount: Int { labels.count }

    init(vectors: [SparseVector], labels: [Int32], columnCount: Int) {
        var rowStart = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        rowStart.reserveCapacity(vectors.count + 1)
        for vector in vectors {
            columns.append(contentsOf: vector.columns)
            values.append(contentsOf: vector.values)
            columns.append(Int32(columnCount))
            values.append(Self.biasValue)
            rowStart.append(columns.count)
        }
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        self.labels = labels
        self.width = columnCount + 1
    }
}
