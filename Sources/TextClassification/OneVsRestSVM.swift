import Dispatch

/// One-vs-rest linear SVMs with squared hinge loss, trained by dual coordinate descent with shrinking
/// (Hsieh et al., ICML 2008; LIBLINEAR's solver 1).
///
/// Each label's weights are a contiguous vector small enough to stay in cache while its machine trains. Labels are
/// independent, so training them on several threads gives exactly the same weights as on one.
enum OneVsRestSVM {
    /// Weights by label then column: `result[label * matrix.width + column]`, the bias in the last column.
    static func train(matrix: TrainingMatrix, labelCount: Int, configuration: TextClassifier.Configuration)
        -> [Float]
    {
        let width = matrix.width
        let rowCount = matrix.rowCount
        var weights = [Float](repeating: 0, count: labelCount * width)
        guard labelCount > 0, rowCount > 0 else { return weights }
        let diagonal = 0.5 / max(configuration.cost, 1e-6)
        let squaredNorms = (0..<rowCount).map { row in
            (matrix.rowStart[row]..<matrix.rowStart[row + 1]).reduce(diagonal) {
                $0 + matrix.values[$1] * matrix.values[$1]
            }
        }
        let threads = max(1, min(configuration.threads, labelCount))
        weights.withUnsafeMutableBufferPointer { weights in
            let output = SharedOutput(weights: weights)
            let solveLabel: @Sendable (Int) -> Void = { label in
                solve(
                    label: Int32(label), matrix: matrix, squaredNorms: squaredNorms, diagonal: diagonal,
                    configuration: configuration,
                    weights: UnsafeMutableBufferPointer(
                        rebasing: output.weights[(label * width)..<((label + 1) * width)]))
            }
            if threads == 1 {
                for label in 0..<labelCount { solveLabel(label) }
            } else {
                // Labels are dealt to threads in a fixed pattern; each label's result depends only on the data.
                DispatchQueue.concurrentPerform(iterations: threads) { thread in
                    for label in stride(from: thread, to: labelCount, by: threads) { solveLabel(label) }
                }
            }
        }
        return weights
    }

    private static func solve(
        label: Int32, matrix: TrainingMatrix, squaredNorms: [Float], diagonal: Float,
        configuration: TextClassifier.Configuration, weights: UnsafeMutableBufferPointer<Float>
    ) {
        let rowCount = matrix.rowCount
        var alphaStorage = [Float](repeating: 0, count: rowCount)
        // Rows are visited in storage order (the matrix is stored in a shuffled order), which keeps memory reads
        // sequential; rows set aside by shrinking drop out of `active` for the following passes.
        var active = Array(0..<rowCount)
        var next: [Int] = []
        next.reserveCapacity(rowCount)
        var maxOld = Float.infinity
        let shrinkMargin = configuration.shrinkMargin
        matrix.rowStart.withUnsafeBufferPointer { rowStart in
            matrix.columns.withUnsafeBufferPointer { columns in
                matrix.values.withUnsafeBufferPointer { values in
                    matrix.labels.withUnsafeBufferPointer { labels in
                        alphaStorage.withUnsafeMutableBufferPointer { alpha in
                            var epoch = 0
                            while epoch < configuration.maxEpochs {
                                epoch += 1
                                var maxNew = -Float.infinity
                                var minNew = Float.infinity
                                let shrinkAbove = min(maxOld, shrinkMargin)
                                next.removeAll(keepingCapacity: true)
                                for row in active {
                                    let sign: Float = labels[row] == label ? 1 : -1
                                    let start = rowStart[row]
                                    let end = rowStart[row + 1]
                                    // Four running sums: one sum would wait on each addition's latency.
                                    var sums = (Float(0), Float(0), Float(0), Float(0))
                                    var position = start
                                    while position + 4 <= end {
                                        sums.0 += weights[Int(columns[position])] * values[position]
                                        sums.1 += weights[Int(columns[position + 1])] * values[position + 1]
                                        sums.2 += weights[Int(columns[position + 2])] * values[position + 2]
                                        sums.3 += weights[Int(columns[position + 3])] * values[position + 3]
                                        position += 4
                                    }
                                    while position < end {
                                        sums.0 += weights[Int(columns[position])] * values[position]
                                        position += 1
                                    }
                                    let dot = (sums.0 + sums.1) + (sums.2 + sums.3)
                                    let old = alpha[row]
                                    let gradient = sign * dot - 1 + old * diagonal
                                    var projected: Float = 0
                                    if old == 0 {
                                        // Shrink: this row is well outside the margin and will likely stay there.
                                        if gradient > shrinkAbove { continue }
                                        projected = min(gradient, 0)
                                    } else {
                                        projected = gradient
                                    }
                                    next.append(row)
                                    maxNew = max(maxNew, projected)
                                    minNew = min(minNew, projected)
                                    guard abs(projected) > 1e-12 else { continue }
                                    let new = max(old - gradient / squaredNorms[row], 0)
                                    alpha[row] = new
                                    let step = (new - old) * sign
                                    for position in start..<end {
                                        weights[Int(columns[position])] += step * values[position]
                                    }
                                }
                                if maxNew - minNew <= configuration.tolerance {
                                    if active.count == rowCount { break }
                                    // Converged on the active rows: check once more on all of them.
                                    active = Array(0..<rowCount)
                                    maxOld = .infinity
                                    continue
                                }
                                swap(&active, &next)
                                maxOld = maxNew <= 0 ? .infinity : maxNew
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The weight buffer, written by several threads at disjoint label ranges.
private struct SharedOutput: @unchecked Sendable {
    let weights: UnsafeMutableBufferPointer<Float>
}
