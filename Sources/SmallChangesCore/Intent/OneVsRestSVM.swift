import Dispatch

/// One-vs-rest linear SVMs with squared hinge loss, trained by dual coordinate descent with shrinking
/// (Hsieh et al., ICML 2008; LIBLINEAR's solver 1).
///
/// Each label's weights are a contiguous vector small enough to stay in cache while its machine trains. Labels are
/// independent, so training them on several threads gives exactly the same weights as on one.
enum OneVsRestSVM {
    /// The trained machines.
    struct Solution {
        /// Weights by label then column: `weights[label * width + column]`, the bias in the last column.
        var weights: [Float]
        /// Dual variables by label then row: `alpha[label * rowCount + row]`.
        var alpha: [Float]
    }

    static func train(matrix: TrainingMatrix, labelCount: Int, configuration: TextClassifier.Configuration)
        -> Solution
    {
        let width = matrix.width
        let rowCount = matrix.rowCount
        var weights = [Float](repeating: 0, count: labelCount * width)
        var alpha = [Float](repeating: 0, count: labelCount * rowCount)
        guard labelCount > 0, rowCount > 0 else { return Solution(weights: weights, alpha: alpha) }
        let diagonal = 0.5 / max(configuration.cost, 1e-6)
        let squaredNorms = (0..<rowCount).map { row in
            (matrix.rowStart[row]..<matrix.rowStart[row + 1]).reduce(diagonal) {
                $0 + matrix.values[$1] * matrix.values[$1]
            }
        }
        let threads = max(1, min(configuration.threads, labelCount))
        weights.withUnsafeMutableBufferPointer { weights in
            alpha.withUnsafeMutableBufferPointer { alpha in
                let output = SharedOutput(weights: weights, alpha: alpha)
                let solveLabel: @Sendable (Int) -> Void = { label in
                    solve(
                        label: Int32(label), matrix: matrix, squaredNorms: squaredNorms, diagonal: diagonal,
                        configuration: configuration,
                        weights: UnsafeMutableBufferPointer(rebasing: output.weights[(label * width)..<((label + 1) * width)]),
                        alpha: UnsafeMutableBufferPointer(
                            rebasing: output.alpha[(label * rowCount)..<((label + 1) * rowCount)]))
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
        }
        return Solution(weights: weights, alpha: alpha)
    }

    private static func solve(
        label: Int32, matrix: TrainingMatrix, squaredNorms: [Float], diagonal: Float,
        configuration: TextClassifier.Configuration, weights: UnsafeMutableBufferPointer<Float>,
        alpha: UnsafeMutableBufferPointer<Float>
    ) {
        let rowCount = matrix.rowCount
        var order = Array(0..<rowCount)
        var random = StableRandom(seed: configuration.seed &+ UInt64(label))
        var activeCount = rowCount
        var maxOld = Float.infinity
        matrix.rowStart.withUnsafeBufferPointer { rowStart in
            matrix.columns.withUnsafeBufferPointer { columns in
                matrix.values.withUnsafeBufferPointer { values in
                    matrix.labels.withUnsafeBufferPointer { labels in
                        var epoch = 0
                        while epoch < configuration.maxEpochs {
                            epoch += 1
                            var maxNew = -Float.infinity
                            var minNew = Float.infinity
                            random.shuffle(&order, count: activeCount)
                            var slot = 0
                            while slot < activeCount {
                                let row = order[slot]
                                let sign: Float = labels[row] == label ? 1 : -1
                                let start = rowStart[row]
                                let end = rowStart[row + 1]
                                var dot: Float = 0
                                for position in start..<end {
                                    dot += weights[Int(columns[position])] * values[position]
                                }
                                let gradient = sign * dot - 1 + alpha[row] * diagonal
                                var projected: Float = 0
                                if alpha[row] == 0 {
                                    if gradient > maxOld {
                                        // Shrink: this row is far on the right side and will likely stay there.
                                        activeCount -= 1
                                        order.swapAt(slot, activeCount)
                                        continue
                                    } else if gradient < 0 {
                                        projected = gradient
                                    }
                                } else {
                                    projected = gradient
                                }
                                maxNew = max(maxNew, projected)
                                minNew = min(minNew, projected)
                                if abs(projected) > 1e-12 {
                                    let old = alpha[row]
                                    alpha[row] = max(old - gradient / squaredNorms[row], 0)
                                    let step = (alpha[row] - old) * sign
                                    for position in start..<end {
                                        weights[Int(columns[position])] += step * values[position]
                                    }
                                }
                                slot += 1
                            }
                            if maxNew - minNew <= configuration.tolerance {
                                if activeCount == rowCount { break }
                                // Converged on the active rows: check once more on all of them.
                                activeCount = rowCount
                                maxOld = .infinity
                                continue
                            }
                            maxOld = maxNew <= 0 ? .infinity : maxNew
                        }
                    }
                }
            }
        }
    }
}

/// The output buffers, written by several threads at disjoint label ranges.
private struct SharedOutput: @unchecked Sendable {
    let weights: UnsafeMutableBufferPointer<Float>
    let alpha: UnsafeMutableBufferPointer<Float>
}
