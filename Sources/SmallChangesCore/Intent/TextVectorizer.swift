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
/// training have no column, but still count towards the norm with the highest idf (times `unseenWeight`): an
/// answer made mostly of unknown n-grams then gets a short vector and low scores, which is what out-of-scope answers
/// look like.
struct TextVectorizer: Sendable {
    let features: TextFeatures
    let wordWeight: Float
    let charWeight: Float
    let unseenWeight: Float
    let columnCount: Int
    private let table: FeatureTable
    private let unseenIDF: Float

    /// Fits the vocabulary and idf on texts already hashed with `features`, and returns their vectors too, so
    /// training hashes each text once.
    static func fit(
        features: TextFeatures, hashedTexts: [HashedText], wordWeight: Float, charWeight: Float, unseenWeight: Float
    ) -> (vectorizer: TextVectorizer, vectors: [SparseVector]) {
        var index = GrowingIndex()
        var hashes: [UInt32] = []
        var documentFrequency: [Int32] = []
        var lastDocument: [Int32] = []
        func count(_ hash: UInt32, in document: Int32) {
            let (column, inserted) = index.column(of: hash, next: hashes.count)
            if inserted {
                hashes.append(hash)
                documentFrequency.append(1)
                lastDocument.append(document)
            } else if lastDocument[column] != document {
                documentFrequency[column] += 1
                lastDocument[column] = document
            }
        }
        for (document, hashed) in hashedTexts.enumerated() {
            // Columns are numbered in order of first appearance, so the same texts always give the same columns.
            for hash in hashed.words { count(hash, in: Int32(document)) }
            for hash in hashed.chars { count(hash, in: Int32(document)) }
        }
        let documents = Float(hashedTexts.count)
        let idf = documentFrequency.map { logf((1 + documents) / (1 + Float($0))) + 1 }
        let vectorizer = TextVectorizer(
            features: features, wordWeight: wordWeight, charWeight: charWeight, unseenWeight: unseenWeight,
            columnCount: hashes.count, table: FeatureTable(hashes: hashes, idf: idf),
            unseenIDF: (logf(1 + documents) + 1) * unseenWeight)
        return (vectorizer, hashedTexts.map { vectorizer.vector(hashed: $0) })
    }

    private init(
        features: TextFeatures, wordWeight: Float, charWeight: Float, unseenWeight: Float, columnCount: Int,
        table: FeatureTable, unseenIDF: Float
    ) {
        self.features = features
        self.wordWeight = wordWeight
        self.charWeight = charWeight
        self.unseenWeight = unseenWeight
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
            unseenWeight > 0
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
        var capacity = 64
        while capacity < hashes.count * 2 { capacity <<= 1 }
        let start = vector.values.count
        var squares: Float = 0
        // Counts repeated n-grams in a scratch open-addressing table (no sort), keeping the order of first
        // appearance so the vector is the same on every run. One scratch allocation holds the keys, the counts
        // and the order: three would cost three trips to malloc on every answer.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity * 2 + hashes.count) { scratch in
            let keys = UnsafeMutableBufferPointer(rebasing: scratch[0..<capacity])
            let counts = UnsafeMutableBufferPointer(rebasing: scratch[capacity..<(capacity * 2)])
            let order = UnsafeMutableBufferPointer(rebasing: scratch[(capacity * 2)...])
            counts.initialize(repeating: 0)
            let mask = capacity - 1
            var distinct = 0
            for hash in hashes {
                var index = Int(hash) & mask
                while counts[index] != 0 && keys[index] != hash { index = (index + 1) & mask }
                if counts[index] == 0 {
                    keys[index] = hash
                    order[distinct] = UInt32(index)
                    distinct += 1
                }
                counts[index] += 1
            }
            for position in 0..<distinct {
                let slot = Int(order[position])
                let count = counts[slot]
                let tf = count == 1 ? 1 : 1 + logf(Float(count))
                if let entry = table.lookup(keys[slot]) {
                    let value = tf * entry.idf
                    vector.columns.append(entry.column)
                    vector.values.append(value)
                    squares += value * value
                } else {
                    squares += (tf * unseenIDF) * (tf * unseenIDF)
                }
            }
        }
        guard squares > 0 else { return }
        let scale = weight / squares.squareRoot()
        for position in start..<vector.values.count { vector.values[position] *= scale }
    }
}

/// A hash-to-column map that grows while the vocabulary is collected (open addressing, linear probing).
private struct GrowingIndex {
    private var keys = [UInt32](repeating: 0, count: 1024)
    /// Column + 1; 0 marks an empty slot.
    private var slots = [Int32](repeating: 0, count: 1024)
    private var count = 0

    /// The column of `hash`, giving it column `next` when it is new.
    mutating func column(of hash: UInt32, next: Int) -> (column: Int, inserted: Bool) {
        let mask = slots.count - 1
        var position = Int(hash) & mask
        while slots[position] != 0 {
            if keys[position] == hash { return (Int(slots[position]) - 1, false) }
            position = (position + 1) & mask
        }
        keys[position] = hash
        slots[position] = Int32(next + 1)
        count += 1
        if count * 2 > slots.count { grow() }
        return (next, true)
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldSlots = slots
        keys = [UInt32](repeating: 0, count: oldSlots.count * 2)
        slots = [Int32](repeating: 0, count: oldSlots.count * 2)
        let mask = slots.count - 1
        for (key, slot) in zip(oldKeys, oldSlots) where slot != 0 {
            var position = Int(key) & mask
            while slots[position] != 0 { position = (position + 1) & mask }
            keys[position] = key
            slots[position] = slot
        }
    }
}
