/// The centroid of each label's training vectors, L2-normalised, stored sparsely by column: what lets a classifier
/// say how much an answer looks like the examples of the label it chose, beside how strongly the label's machine
/// voted for it.
///
/// Stored by column, like the classifier's weights, so one pass over an answer's columns gives its similarity to
/// every centroid: most n-grams belong to few labels, so that pass touches a few entries per column, and the table
/// holds at most as many entries as the training vectors do (a dense table would be as large as the weights).
struct CentroidTable: Sendable {
    /// Column `c`'s entries occupy `columnStart[c] ..< columnStart[c + 1]` of `labels` and `values`.
    private let columnStart: [Int32]
    private let labels: [Int32]
    private let values: [Float]
    let labelCount: Int

    /// The centroids of `vectors` (each of unit length) grouped by `labels`, over `columnCount` columns.
    init(vectors: [SparseVector], labels rowLabels: [Int32], labelCount: Int, columnCount: Int) {
        var rowsOfLabel = [[Int]](repeating: [], count: labelCount)
        for (row, label) in rowLabels.enumerated() { rowsOfLabel[Int(label)].append(row) }
        // One label at a time: its sum is gathered in a dense scratch row, then only its touched columns are kept.
        var sum = [Float](repeating: 0, count: columnCount)
        var touched: [Int32] = []
        var entries: [(column: Int32, label: Int32, value: Float)] = []
        for (label, rows) in rowsOfLabel.enumerated() {
            touched.removeAll(keepingCapacity: true)
            for row in rows {
                let vector = vectors[row]
                let length = vector.values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                guard length > 0 else { continue }
                for (column, value) in zip(vector.columns, vector.values) {
                    if sum[Int(column)] == 0 { touched.append(column) }
                    sum[Int(column)] += value / length
                }
            }
            let norm = touched.reduce(Float(0)) { $0 + sum[Int($1)] * sum[Int($1)] }.squareRoot()
            for column in touched {
                if norm > 0 { entries.append((column, Int32(label), sum[Int(column)] / norm)) }
                sum[Int(column)] = 0
            }
        }
        var start = [Int32](repeating: 0, count: columnCount + 1)
        for entry in entries { start[Int(entry.column) + 1] += 1 }
        for column in 0..<columnCount { start[column + 1] += start[column] }
        var next = start
        var labels = [Int32](repeating: 0, count: entries.count)
        var values = [Float](repeating: 0, count: entries.count)
        for entry in entries {
            let position = Int(next[Int(entry.column)])
            next[Int(entry.column)] += 1
            labels[position] = entry.label
            values[position] = entry.value
        }
        self.columnStart = start
        self.labels = labels
        self.values = values
        self.labelCount = labelCount
    }

    /// The dot product of `vector` with every centroid, in label order. Answer vectors are scaled so that unseen
    /// n-grams count in their length (see `TextVectorizer`), so this is the cosine in the space of all n-grams.
    func similarities(_ vector: SparseVector) -> [Float] {
        var result = [Float](repeating: 0, count: labelCount)
        guard labelCount > 0 else { return result }
        columnStart.withUnsafeBufferPointer { start in
            labels.withUnsafeBufferPointer { labels in
                values.withUnsafeBufferPointer { values in
                    result.withUnsafeMutableBufferPointer { result in
                        for (column, value) in zip(vector.columns, vector.values) {
                            for entry in Int(start[Int(column)])..<Int(start[Int(column) + 1]) {
                                result[Int(labels[entry])] += value * values[entry]
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
