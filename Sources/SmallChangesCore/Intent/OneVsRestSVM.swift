import Dispatch

/// One-vs-rest linear SVMs with squared hinge loss, trained by dual coordinate descent (Hsieh et al., ICML 2008;
/// LIBLINEAR's solver 1), all labels at once.
///
/// Weights are stored by column then label, so visiting one training row updates each of its columns' label
/// weights as one contiguous run that the compiler vectorises. Each label stops on its own when its projected
/// gradients settle, and labels never read each other's weights, so the result does not depend on how labels are
/// split across threads.
enum OneVsRestSVM {
    /// Weights by column then label: `result[column * labelCount + label]`, with the bias in the last column.
    static func train(matrix: TrainingMatrix, labelCount: Int, configuration: TextClassifier.Configuration)
        -> [Float]
    {
        var result = [Float](repeating: 0, count: matrix.width * labelCount)
        guard labelCount > 0, matrix.rowCount > 0 else { return result }
        let threads = max(1, min(configuration.threads, labelCount / 8, 8))
        result.withUnsafeMutableBufferPointer { weights in
            let shared = SharedWeights(base: weights)
            if threads == 1 {
                solve(labels: 0..<labelCount, labelCount: labelCount, matrix: matrix, configuration: configuration,
                    weights: shared)
            } else {
                DispatchQueue.concurrentPerform(iterations: threads) { thread in
                    let range = (thread * labelCount / threads)..<((thread + 1) * labelCount / threads)
                    solve(labels: range, labelCount: labelCount, matrix: matrix, configuration: configuration,
                        weights: shared)
                }
            }
        }
        return result
    }

    private static func solve(
        labels range: Range<Int>, labelCount: Int, matrix: TrainingMatrix,
        configuration: TextClassifier.Configuration, weights shared: SharedWeights
    ) {
        let rowCount = matrix.rowCount
        let count = range.count
        let first = range.lowerBound
        let diagonal = 0.5 / max(configuration.cost, 1e-6)
        let tolerance = configuration.tolerance
        var squaredNorms = [Float](repeating: diagonal, count: rowCount)
        for row in 0..<rowCount {
            for position in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                squaredNorms[row] += matrix.values[position] * matrix.values[position]
            }
        }
        var alpha = [Float](repeating: 0, count: rowCount * count)
        var scores = [Float](repeating: 0, count: count)
        var steps = [Float](repeating: 0, count: count)
        var converged = [Bool](repeating: false, count: count)
        var maxGradient = [Float](repeating: 0, count: count)
        var minGradient = [Float](repeating: 0, count: count)
        var order = Array(0..<rowCount)
        var random = StableRandom(seed: configuration.seed)
        let weights = shared.base
        matrix.rowStart.withUnsafeBufferPointer { rowStart in
            matrix.columns.withUnsafeBufferPointer { columns in
                matrix.values.withUnsafeBufferPointer { values in
                    alpha.withUnsafeMutableBufferPointer { alpha in
                        scores.withUnsafeMutableBufferPointer { scores in
                            steps.withUnsafeMutableBufferPointer { steps in
                                for _ in 0..<configuration.maxEpochs {
                                    random.shuffle(&order, count: rowCount)
                                    for label in 0..<count {
                                        maxGradient[label] = -.infinity
                                        minGradient[label] = .infinity
                                    }
                                    for row in order {
                                        let start = rowStart[row]
                                        let end = rowStart[row + 1]
                                        for label in 0..<count { scores[label] = 0 }
                                        for position in start..<end {
                                            let value = values[position]
                                            let base = Int(columns[position]) * labelCount + first
                                            for label in 0..<count { scores[label] += value * weights[base + label] }
                                        }
                                        let truth = Int(matrix.labels[row]) - first
                                        let alphaBase = row * count
                                        let inverseNorm = 1 / squaredNorms[row]
                                        var changed = false
                                        for label in 0..<count where !converged[label] {
                                            let sign: Float = label == truth ? 1 : -1
                                            let old = alpha[alphaBase + label]
                                            let gradient = sign * scores[label] - 1 + old * diagonal
                                            let projected = old == 0 ? min(gradient, 0) : gradient
                                            maxGradient[label] = max(maxGradient[label], projected)
                                            minGradient[label] = min(minGradient[label], projected)
                                            guard abs(projected) > 1e-12 else { continue }
                                            let new = max(old - gradient * inverseNorm, 0)
                                            alpha[alphaBase + label] = new
                                            steps[label] = (new - old) * sign
                                            changed = true
                                        }
                                        guard changed else { continue }
                                        for position in start..<end {
                                            let value = values[position]
                                            let base = Int(columns[position]) * labelCount + first
                                            for label in 0..<count { weights[base + label] += value * steps[label] }
                                        }
                                        for label in 0..<count { steps[label] = 0 }
                                    }
                                    var allConverged = true
                                    for label in 0..<count where !converged[label] {
                                        if maxGradient[label] - minGradient[label] <= tolerance {
                                            converged[label] = true
                                        } else {
                                            allConverged = false
                                        }
                                    }
                                    if allConverged { break }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The weight buffer, written by several threads at disjoint label ranges.
private struct SharedWeights: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Float>
}
