import Dispatch

/// One-vs-rest linear SVMs with squared hinge loss, trained by dual coordinate descent with shrinking
/// (Hsieh et al., ICML 2008; LIBLINEAR's solver 1).
enum OneVsRestSVM {
    /// Weights of every label, label-major: `result[label * matrix.width + column]`.
    static func train(matrix: TrainingMatrix, labelCount: Int, configuration: TextClassifier.Configuration)
        -> [Float]
    {
        let width = matrix.width
        var result = [Float](repeating: 0, count: labelCount * width)
        guard labelCount > 0, matrix.rowCount > 0 else { return result }
        let diagonal = 0.5 / max(configuration.cost, 1e-6)
        let squaredNorms = (0..<matrix.rowCount).map { row in
            (matrix.rowStart[row]..<matrix.rowStart[row + 1]).reduce(diagonal) {
                $0 + matrix.values[$1] * matrix.values[$1]
            }
        }
        let threads = max(1, min(configuration.threads, labelCount))
        result.withUnsafeMutableBufferPointer { output in
            let output = SendableBuffer(base: output)
            // Labels are dealt to threads in a fixed pattern; each label's weights depend only on the data.
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for label in stride(from: thread, to: labelCount, by: threads) {
                    let weights = solve(
                        label: Int32(label), matrix: matrix, squaredNorms: squaredNorms, diagonal: diagonal,
                        configuration: configuration)
                    output.write(weights, at: label * width)
                }
            }
        }
        return result
    }

    private static func solve(
        label: Int32, matrix: TrainingMatrix, squaredNorms: [Float], diagonal: Float,
        configuration: TextClassifier.Configuration
    ) -> [Float] {
        let rowCount = matrix.rowCount
        var weights = [Float](repeating: 0, count: matrix.width)
        var alpha = [Float](repeating: 0, count: rowCount)
        var order = Array(0..<rowCount)
        var random = StableRandom(seed: configuration.seed &+ UInt64(label))
        var activeCount = rowCount
        var maxOld = Float.infinity
        var minOld = -Float.infinity
        matrix.rowStart.withUnsafeBufferPointer { rowStart in
            matrix.columns.withUnsafeBufferPointer { columns in
                matrix.values.withUnsafeBufferPointer { values in
                    matrix.labels.withUnsafeBufferPointer { labels in
                        weights.withUnsafeMutableBufferPointer { weights in
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
                                    activeCount = rowCount
                                    maxOld = .infinity
                                    minOld = -.infinity
                                    continue
                                }
                                maxOld = maxNew <= 0 ? .infinity : maxNew
                                minOld = minNew >= 0 ? -.infinity : minNew
                            }
                        }
                    }
                }
            }
        }
        _ = minOld
        return weights
    }
}

/// A buffer that several threads write to at disjoint offsets.
private struct SendableBuffer: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Float>

    func write(_ values: [Float], at offset: Int) {
        for (index, value) in values.enumerated() { base[offset + index] = value }
    }
}
