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
        vector(counted: CountedText(hashed))
    }

    /// The normalised vector of a text whose n-grams are already counted: classifiers with the same features
    /// count an answer once between them.
    func vector(counted: CountedText) -> SparseVector {
        // Filled through pointers, at most one entry per distinct n-gram (unknown ones get none).
        let capacity = counted.hashes.count
        let (columns, values) = ScratchArrays.written(Int32.self, Float.self, capacity: capacity) { columns, values in
            var written = appendBlock(counted, 0..<counted.wordTerms, weight: wordWeight, columns, values, at: 0)
            written = appendBlock(
                counted, counted.wordTerms..<counted.hashes.count, weight: charWeight, columns, values, at: written)
            // With unseen n-grams in the norm, a vector of only known n-grams has length 1 and others are
            // shorter.
            var norm = (wordWeight * wordWeight + charWeight * charWeight).squareRoot()
            if unseenWeight <= 0 {
                var squares: Float = 0
                for position in 0..<written { squares += values[position] * values[position] }
                norm = squares.squareRoot()
            }
            if norm > 0 {
                let scale = 1 / norm
                for position in 0..<written { values[position] *= scale }
            }
            return written
        }
        return SparseVector(columns: columns, values: values)
    }

    /// Writes one block's entries from `start` on, each scaled so the block has length `weight`; returns
    /// where the next block starts.
    private func appendBlock(
        _ counted: CountedText, _ terms: Range<Int>, weight: Float, _ columns: UnsafeMutableBufferPointer<Int32>,
        _ values: UnsafeMutableBufferPointer<Float>, at start: Int
    ) -> Int {
        guard weight > 0, !terms.isEmpty else { return start }
        var end = start
        var squares: Float = 0
        counted.hashes.withUnsafeBufferPointer { hashes in
            counted.termFrequencies.withUnsafeBufferPointer { frequencies in
                for term in terms {
                    let tf = frequencies[term]
                    if let entry = table.lookup(hashes[term]) {
                        let value = tf * entry.idf
                        columns.initializeElement(at: end, to: entry.column)
                        values.initializeElement(at: end, to: value)
                        end += 1
                        squares += value * value
                    } else {
                        squares += (tf * unseenIDF) * (tf * unseenIDF)
                    }
                }
            }
        }
        guard squares > 0 else { return end }
        let scale = weight / squares.squareRoot()
        for position in start..<end { values[position] *= scale }
        return end
    }
}

extension TextVectorizer {
    /// Writes what fitting learned; the features and block weights are the classifier configuration's.
    func encode(into writer: inout ModelWriter) {
        writer.append(columnCount)
        writer.append(unseenIDF)
        table.encode(into: &writer)
    }

    /// Reads a vectorizer written by `encode(into:)`, for the features and weights of `configuration`.
    init(decoding reader: inout ModelReader, configuration: TextClassifier.Configuration) throws(ModelDecodingError) {
        let columnCount = try reader.int()
        let unseenIDF = try reader.float()
        guard (0...Int(Int32.max)).contains(columnCount), unseenIDF.isFinite else {
            throw ModelDecodingError("a vectorizer out of range")
        }
        self.init(
            features: configuration.features, wordWeight: configuration.wordWeight,
            charWeight: configuration.charWeight, unseenWeight: configuration.unseenWeight, columnCount: columnCount,
            table: try FeatureTable(decoding: &reader, columnCount: columnCount), unseenIDF: unseenIDF)
    }
}

/// A text's n-grams counted: each distinct hash once, in order of first appearance, with its sublinear term
/// frequency (1 + ln count), word n-grams first. What every vectorizer over the same features starts from.
package struct CountedText: Sendable {
    let hashes: [UInt32]
    let termFrequencies: [Float]
    /// How many of `hashes` are word n-grams; the rest are character n-grams.
    let wordTerms: Int

    package init(_ hashed: HashedText) {
        let capacity = hashed.words.count + hashed.chars.count
        var wordTerms = 0
        (hashes, termFrequencies) = ScratchArrays.written(UInt32.self, Float.self, capacity: capacity) {
            hashes, frequencies in
            wordTerms = Self.count(hashed.words, into: hashes, frequencies, at: 0)
            return Self.count(hashed.chars, into: hashes, frequencies, at: wordTerms)
        }
        self.wordTerms = wordTerms
    }

    /// Counts repeated n-grams in a scratch open-addressing table (no sort), keeping the order of first
    /// appearance so vectors are the same on every run, and writes them from `start` on; returns the end.
    /// One scratch allocation holds the keys, the counts and the order: three would cost three trips to malloc.
    private static func count(
        _ block: [UInt32], into hashes: UnsafeMutableBufferPointer<UInt32>,
        _ frequencies: UnsafeMutableBufferPointer<Float>, at start: Int
    ) -> Int {
        guard !block.isEmpty else { return start }
        var capacity = 64
        while capacity < block.count * 2 { capacity <<= 1 }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity * 2 + block.count) { scratch in
            let keys = UnsafeMutableBufferPointer(rebasing: scratch[0..<capacity])
            let counts = UnsafeMutableBufferPointer(rebasing: scratch[capacity..<(capacity * 2)])
            let order = UnsafeMutableBufferPointer(rebasing: scratch[(capacity * 2)...])
            counts.initialize(repeating: 0)
            let mask = capacity - 1
            var distinct = 0
            block.withUnsafeBufferPointer { block in
                for hash in block {
                    var index = Int(hash) & mask
                    while counts[index] != 0 && keys[index] != hash { index = (index + 1) & mask }
                    if counts[index] == 0 {
                        keys[index] = hash
                        order[distinct] = UInt32(index)
                        distinct += 1
                    }
                    counts[index] += 1
                }
            }
            for position in 0..<distinct {
                let slot = Int(order[position])
                let count = counts[slot]
                hashes.initializeElement(at: start + position, to: keys[slot])
                frequencies.initializeElement(at: start + position, to: count == 1 ? 1 : 1 + logf(Float(count)))
            }
            return start + distinct
        }
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
