import Foundation

/// A sparse feature vector: parallel arrays of column numbers and values.
struct SparseVector: Sendable, Equatable {
    var columns: [Int32] = []
    var values: [Float] = []
}

/// Turns text into L2-normalised TF-IDF vectors over the hashed n-grams of `TextFeatures`, fitted on training texts.
///
/// Word and character n-grams form two blocks, each normalised on its own and then weighted (as a scikit-learn
/// `FeatureUnion` of two `TfidfVectorizer`s). Term frequency is sublinear (1 + ln tf). N-grams never seen in
/// training have no column, but still count towards the norm with the highest idf when `unseenInNorm` is set: an
/// answer made mostly of unknown n-grams then gets a short vector and low scores, which is what out-of-scope answers
/// look like.
struct TextVectorizer: Sendable {
    let features: TextFeatures
    let wordWeight: Float
    let charWeight: Float
    let unseenInNorm: Bool
    let columnCount: Int
    private let table: FeatureTable
    private let unseenIDF: Float

    /// Fits the vocabulary and idf on `texts` and returns their vectors too, so training hashes each text once.
    static func fit(
        features: TextFeatures, texts: [String], wordWeight: Float, charWeight: Float, unseenInNorm: Bool
    ) -> (vectorizer: TextVectorizer, vectors: [SparseVector]) {
        var hashedTexts: [HashedText] = []
        hashedTexts.reserveCapacity(texts.count)
        var columnOfHash: [UInt32: Int] = [:]
        var hashes: [UInt32] = []
        var documentFrequency: [Int] = []
        var distinct: [UInt32] = []
        for text in texts {
            let hashed = features.hashed(text)
            hashedTexts.append(hashed)
            distinct = hashed.words + hashed.chars
            InPlaceSort.sort(&distinct)
            var previous: UInt32?
            // Columns are numbered in order of first appearance, so the same texts always give the same columns.
            for hash in distinct where hash != previous {
                previous = hash
                if let column = columnOfHash[hash] {
                    documentFrequency[column] += 1
                } else {
                    columnOfHash[hash] = hashes.count
                    hashes.append(hash)
                    documentFrequency.append(1)
                }
            }
        }
        let documents = Float(texts.count)
        let idf = documentFrequency.map { logf((1 + documents) / (1 + Float($0))) + 1 }
        let vectorizer = TextVectorizer(
            features: features, wordWeight: wordWeight, charWeight: charWeight, unseenInNorm: unseenInNorm,
            columnCount: hashes.count, table: FeatureTable(hashes: hashes, idf: idf),
            unseenIDF: logf(1 + documents) + 1)
        return (vectorizer, hashedTexts.map { vectorizer.vector(hashed: $0) })
    }

    private init(
        features: TextFeatures, wordWeight: Float, charWeight: Float, unseenInNorm: Bool, columnCount: Int,
        table: FeatureTable, unseenIDF: Float
    ) {
        self.features = features
        self.wordWeight = wordWeight
        self.charWeight = charWeight
        self.unseenInNorm = unseenInNorm
        self.columnCount = columnCount
        self.table = table
        self.unseenIDF = unseenIDF
    }

    /// The normalised vector of `text`; empty when the text has no known n-gram.
    func vector(_ text: String) -> SparseVector {
        vector(hashed: features.hashed(text))
    }

    func vector(hashed: HashedText) -> SparseVector {
        var vector = SparseVector()
        let capacity = hashed.words.count + hashed.chars.count
        vector.columns.reserveCapacity(capacity)
        vector.values.reserveCapacity(capacity)
        appendBlock(hashed.words, weight: wordWeight, to: &vector)
        appendBlock(hashed.chars, weight: charWeight, to: &vector)
        // With unseen n-grams in the norm, a vector of only known n-grams has length 1 and others are shorter.
        let norm =
            unseenInNorm
            ? (wordWeight * wordWeight + charWeight * charWeight).squareRoot()
            : vector.values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 {
            let scale = 1 / norm
            for index in vector.values.indices { vector.values[index] *= scale }
        }
        return vector
    }

    private func appendBlock(_ hashes: [UInt32], weight: Float, to vector: inout SparseVector) {
        guard weight > 0, !hashes.isEmpty else { return }
        var sorted = hashes
        InPlaceSort.sort(&sorted)
        let start = vector.values.count
        var squares: Float = 0
        var index = 0
        while index < sorted.count {
            let hash = sorted[index]
            var count = 1
            while index + count < sorted.count && sorted[index + count] == hash { count += 1 }
            index += count
            let tf = count == 1 ? 1 : 1 + logf(Float(count))
            if let entry = table.lookup(hash) {
                let value = tf * entry.idf
                vector.columns.append(entry.column)
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
