import Foundation

/// A sparse feature vector: parallel arrays of column numbers and values.
struct SparseVector: Sendable, Equatable {
    var columns: [Int32] = []
    var values: [Float] = []
}

/// Turns text into L2-normalised TF-IDF vectors over the hashed n-grams of `TextFeatures`, fitted on training texts.
///
/// Word and character n-grams form two blocks, each normalised on its own and then weighted (as a scikit-learn
/// `FeatureUnion` of two `TfidfVectorizer`s). Term frequency is sublinear (1 + ln tf). Buckets never seen in training
/// have no column, but still count towards the norm with the highest idf when `unseenInNorm` is set: an answer made
/// mostly of unknown n-grams then gets a short vector and low scores, which is what out-of-scope answers look like.
struct TextVectorizer: Sendable {
    let features: TextFeatures
    let wordWeight: Float
    let charWeight: Float
    let unseenInNorm: Bool
    /// Column of each hash bucket, or -1 when the bucket never occurred in training.
    private let columnOfBucket: [Int32]
    /// Inverse document frequency of each column.
    private let idf: [Float]
    private let unseenIDF: Float

    var columnCount: Int { idf.count }

    init(features: TextFeatures, texts: [String], wordWeight: Float, charWeight: Float, unseenInNorm: Bool) {
        self.features = features
        self.wordWeight = wordWeight
        self.charWeight = charWeight
        self.unseenInNorm = unseenInNorm
        var columnOfBucket = [Int32](repeating: -1, count: 1 << features.bucketBits)
        var documentFrequency: [Int] = []
        var seen = Set<UInt32>()
        for text in texts {
            let hashed = features.hashed(text)
            seen.removeAll(keepingCapacity: true)
            // Columns are numbered in order of first appearance, so the same texts always give the same columns.
            for bucket in hashed.words + hashed.chars where seen.insert(bucket).inserted {
                var column = columnOfBucket[Int(bucket)]
                if column < 0 {
                    column = Int32(documentFrequency.count)
                    columnOfBucket[Int(bucket)] = column
                    documentFrequency.append(0)
                }
                documentFrequency[Int(column)] += 1
            }
        }
        let documents = Float(texts.count)
        self.columnOfBucket = columnOfBucket
        self.idf = documentFrequency.map { logf((1 + documents) / (1 + Float($0))) + 1 }
        self.unseenIDF = logf(1 + documents) + 1
    }

    /// The normalised vector of `text`; empty when the text has no known n-gram.
    func vector(_ text: String) -> SparseVector {
        let hashed = features.hashed(text)
        var vector = SparseVector()
        vector.columns.reserveCapacity(hashed.words.count + hashed.chars.count)
        vector.values.reserveCapacity(hashed.words.count + hashed.chars.count)
        appendBlock(hashed.words, weight: wordWeight, to: &vector)
        appendBlock(hashed.chars, weight: charWeight, to: &vector)
        // With unseen n-grams in the norm, a vector of only known n-grams has length 1 and others are shorter.
        let norm =
            unseenInNorm
            ? (wordWeight * wordWeight + charWeight * charWeight).squareRoot()
            : vector.values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 {
            for index in vector.values.indices { vector.values[index] /= norm }
        }
        return vector
    }

    private func appendBlock(_ buckets: [UInt32], weight: Float, to vector: inout SparseVector) {
        guard weight > 0, !buckets.isEmpty else { return }
        let sorted = buckets.sorted()
        let start = vector.values.count
        var squares: Float = 0
        var index = 0
        while index < sorted.count {
            let bucket = sorted[index]
            var count = 1
            while index + count < sorted.count && sorted[index + count] == bucket { count += 1 }
            index += count
            let tf = 1 + logf(Float(count))
            let column = columnOfBucket[Int(bucket)]
            if column >= 0 {
                let value = tf * idf[Int(column)]
                vector.columns.append(column)
                vector.values.append(value)
                squares += value * value
            } else if unseenInNorm {
                squares += (tf * unseenIDF) * (tf * unseenIDF)
            }
        }
        guard squares > 0 else { return }
        let scale = weight / squares.squareRoot()
        for position in start..<vector.values.count { vector.values[position] *= scale }
    }
}
