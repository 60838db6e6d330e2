/// How a text becomes hashed word and character n-grams: the features every classifier here learns from.
///
/// Text is lowercased, apostrophes are dropped ("don't" -> "dont"), everything that is not a letter or a digit
/// separates words, and British spellings are folded onto American ones (colour -> color, organise -> organize,
/// programme -> program) so both spellings meet the same features. Words then give unigrams and bigrams, and each
/// word padded with spaces gives character n-grams (as scikit-learn's `char_wb`), which is what makes typos and
/// word order matter less. Features are hashed with FNV-1a, a stable hash, so the same text always gives the
/// same features in every process (Swift's `Hasher` is seeded per process). Hashes are 32-bit and kept whole (no
/// buckets), so two n-grams share a feature only in the rare event of a full hash collision.
public struct TextFeatures: Sendable, Hashable {
    /// Word n-gram lengths (1 = single words, 2 = word pairs).
    public var wordNGrams: ClosedRange<Int>
    /// Character n-gram lengths, taken inside each word padded with one space on each side.
    public var charNGrams: ClosedRange<Int>
    /// Also pair each word with the word two places on ("book ... flight" in "book a flight"), which survives a
    /// word inserted or dropped in between.
    public var skipBigrams: Bool
    /// Also mark the first and the last word as such: how an answer opens ("how ...", "can you ...") says a lot.
    public var boundaryWords: Bool
    /// Also give the answer's length, in bands of words, as a feature: commands are short, content longer.
    public var lengthFeature: Bool

    /// Creates a feature recipe; the defaults suit short answers and chat queries.
    public init(
        wordNGrams: ClosedRange<Int> = 1...2, charNGrams: ClosedRange<Int> = 2...5, skipBigrams: Bool = true,
        boundaryWords: Bool = true, lengthFeature: Bool = true
    ) {
        // Clamped to what the hashing supports: words 1...3, characters 1...8.
        let lowestWord = min(max(1, wordNGrams.lowerBound), 3)
        self.wordNGrams = lowestWord...max(lowestWord, min(wordNGrams.upperBound, 3))
        let lowestChar = min(max(1, charNGrams.lowerBound), 8)
        self.charNGrams = lowestChar...max(lowestChar, min(charNGrams.upperBound, 8))
        self.skipBigrams = skipBigrams
        self.boundaryWords = boundaryWords
        self.lengthFeature = lengthFeature
    }

    /// The words of `text` after lowercasing, apostrophe removal and spelling folding.
    public static func words(_ text: String) -> [String] {
        let tokens = Self.tokens(text)
        return (0..<tokens.count).map { String(decoding: tokens.bytes[tokens.range(of: $0)], as: UTF8.self) }
    }

    /// The hashed features of `text`, split into word features and character features (both may repeat).
    package func hashed(_ text: String) -> HashedText {
        let tokens = Self.tokens(text)
        let count = tokens.count
        // Both arrays are sized up front and filled through pointers: this runs for every answer and every
        // item of a list answer, and appending element by element was a good part of its cost. A word gives
        // up to three word n-grams and a skip bigram; the text adds three more.
        var words: [UInt32] = []
        let chars = ScratchArrays.written(UInt32.self, capacity: charNGramCount(tokens)) { charBuffer in
            var charSink = HashSink(charBuffer)
            words = ScratchArrays.written(UInt32.self, capacity: count * 4 + 3) { wordBuffer in
                var wordSink = HashSink(wordBuffer)
                hash(tokens, words: &wordSink, chars: &charSink)
                return wordSink.count
            }
            return charSink.count
        }
        return HashedText(words: words, chars: chars)
    }

    private func hash(_ tokens: Tokens, words: inout HashSink, chars: inout HashSink) {
        let count = tokens.count
        tokens.bytes.withUnsafeBufferPointer { bytes in
            func token(_ index: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[tokens.range(of: index)])
            }
            for index in 0..<count {
                let word = token(index)
                if wordNGrams.contains(1) {
                    words.append(Self.bucket(Self.fnv(word, seed: Self.wordSeed)))
                }
                var gramHash = Self.fnv(word, seed: Self.phraseSeed)
                if wordNGrams.upperBound >= 2 {
                    for length in 2...wordNGrams.upperBound where index + length <= count {
                        gramHash = Self.fnv(token(index + length - 1), seed: Self.step(gramHash, 0x20))
                        if length >= wordNGrams.lowerBound {
                            words.append(Self.bucket(gramHash ^ UInt32(length)))
                        }
                    }
                }
                if skipBigrams && index + 2 < count {
                    let pair = Self.fnv(token(index + 2), seed: Self.step(Self.fnv(word, seed: Self.skipSeed), 0x20))
                    words.append(Self.bucket(pair))
                }
                appendCharNGrams(of: word, to: &chars)
            }
            if boundaryWords && count > 0 {
                words.append(Self.bucket(Self.fnv(token(0), seed: Self.firstSeed)))
                words.append(Self.bucket(Self.fnv(token(count - 1), seed: Self.lastSeed)))
            }
        }
        if lengthFeature {
            // How long the answer is, in rough bands: commands are short, content is longer.
            let band: UInt8 =
                switch count {
                case 0...1: 1
                case 2: 2
                case 3...4: 3
                case 5...7: 4
                case 8...12: 5
                default: 6
                }
            words.append(Self.bucket(Self.step(Self.lengthSeed, band)))
        }
    }

    /// How many character n-grams the words give: the exact size, so the array is allocated once and no
    /// bigger than needed (an allocation over a kilobyte takes the allocator's slow path).
    private func charNGramCount(_ tokens: Tokens) -> Int {
        var total = 0
        for index in 0..<tokens.count {
            let padded = tokens.range(of: index).count + 2
            for length in charNGrams where length <= padded { total += padded - length + 1 }
        }
        return total
    }

    private func appendCharNGrams(of token: UnsafeBufferPointer<UInt8>, to chars: inout HashSink) {
        let padded = token.count + 2
        let lower = charNGrams.lowerBound
        let upper = charNGrams.upperBound
        for start in 0..<padded {
            var hash = Self.charSeed
            var length = 0
            var position = start
            while length < upper && position < padded {
                let byte: UInt8 = (position == 0 || position == padded - 1) ? 0x20 : token[position - 1]
                hash = Self.step(hash, byte)
                length += 1
                position += 1
                if length >= lower {
                    chars.append(Self.bucket(hash ^ UInt32(truncatingIfNeeded: length &* 0x9E37)))
                }
            }
        }
    }

    /// Appends hashes to memory sized in advance; running past the end is a bug, caught in every build.
    private struct HashSink {
        let buffer: UnsafeMutableBufferPointer<UInt32>
        private(set) var count = 0

        init(_ buffer: UnsafeMutableBufferPointer<UInt32>) {
            self.buffer = buffer
        }

        @inline(__always)
        mutating func append(_ hash: UInt32) {
            precondition(count < buffer.count, "more n-grams than counted")
            buffer.initializeElement(at: count, to: hash)
            count += 1
        }
    }

    // MARK: Hashing

    private static let wordSeed: UInt32 = 2_166_136_261
    private static let phraseSeed: UInt32 = 0x811C_9DC5 ^ 0x5BD1_E995
    private static let charSeed: UInt32 = 0x811C_9DC5 ^ 0x27D4_EB2F
    private static let skipSeed: UInt32 = 0x811C_9DC5 ^ 0x1656_67B1
    private static let firstSeed: UInt32 = 0x811C_9DC5 ^ 0x0B4E_0F5D
    private static let lastSeed: UInt32 = 0x811C_9DC5 ^ 0x3C6E_F372
    private static let lengthSeed: UInt32 = 0x811C_9DC5 ^ 0x7F4A_7C15

    @inline(__always)
    private static func step(_ hash: UInt32, _ byte: UInt8) -> UInt32 {
        (hash ^ UInt32(byte)) &* 16_777_619
    }

    @inline(__always)
    private static func fnv(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt32) -> UInt32 {
        var hash = seed
        for byte in bytes { hash = step(hash, byte) }
        return hash
    }

    /// A final mix, because FNV-1a's low bits alone spread poorly for short keys and tables index by low bits.
    @inline(__always)
    private static func bucket(_ hash: UInt32) -> UInt32 {
        var mixed = hash
        mixed ^= mixed >> 16
        mixed &*= 0x7FEB_352D
        mixed ^= mixed >> 15
        return mixed
    }

    // MARK: Normalisation

    /// Only this much of a text is read: an answer is a few sentences, and a pasted document should not stall
    /// the conversation.
    static let maximumScalars = 8_192

    /// Splits text into folded lowercase words, as UTF-8 bytes.
    static func tokens(_ text: String) -> Tokens {
        // Most answers are plain ASCII, where bytes are scalars: read them straight from the string's storage.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Tokens? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            var words = WordCollector(capacity: min(bytes.count, maximumScalars))
            for byte in bytes.prefix(maximumScalars) { words.append(ascii: byte) }
            return words.finish()
        }
        if let ascii, let tokens = ascii { return tokens }
        var words = WordCollector(capacity: min(text.utf8.count, maximumScalars))
        for scalar in text.unicodeScalars.prefix(maximumScalars) {
            let value = scalar.value
            if value < 0x80 {
                words.append(ascii: UInt8(value))
            } else if value == 0x2019 || value == 0x2018 || value == 0x02BC {
                continue
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                appendFolded(scalar, to: &words.tokens.bytes)
            } else {
                words.flush()
            }
        }
        return words.finish()
    }

    /// The words of a text in one byte array, with where each word ends: one allocation for all the words
    /// instead of one per word, since every answer is split into words several times over.
    struct Tokens {
        var bytes: [UInt8] = []
        var ends: [Int] = []

        var count: Int { ends.count }

        /// Where word `index` sits in `bytes`.
        func range(of index: Int) -> Range<Int> {
            (index == 0 ? 0 : ends[index - 1])..<ends[index]
        }
    }

    /// Gathers the words of a text one character at a time; the word being read is the tail of `bytes`.
    private struct WordCollector {
        var tokens = Tokens()

        init(capacity: Int) {
            tokens.bytes.reserveCapacity(capacity)
            tokens.ends.reserveCapacity(capacity / 4 + 1)
        }

        mutating func append(ascii byte: UInt8) {
            switch byte {
            case 0x61...0x7A, 0x30...0x39: tokens.bytes.append(byte)
            case 0x41...0x5A: tokens.bytes.append(byte | 0x20)
            case 0x27, 0x60: break  // apostrophes join: "don't" -> "dont"
            case 0x26:  // "&" reads as "and"
                flush()
                tokens.bytes.append(contentsOf: "and".utf8)
                flush()
            default: flush()
            }
        }

        mutating func flush() {
            let start = tokens.ends.last ?? 0
            let end = tokens.bytes.count
            guard end > start else { return }
            if let folded = SpellingFolding.folded(tokens.bytes[start..<end]) {
                tokens.bytes.replaceSubrange(start..<end, with: folded)
            }
            tokens.ends.append(tokens.bytes.count)
        }

        mutating func finish() -> Tokens {
            flush()
            return tokens
        }
    }

    /// Lowercases a non-ASCII letter and strips its accent (é -> e), so "café" and "cafe" meet.
    private static func appendFolded(_ scalar: Unicode.Scalar, to token: inout [UInt8]) {
        for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
            if let base = latinBase[lowered.value] {
                token.append(base)
            } else {
                token.append(contentsOf: String(lowered).utf8)
            }
        }
    }

    /// Accented Latin letters people type in English text, mapped to their base letter.
    private static let latinBase: [UInt32: UInt8] = {
        let groups: [(String, Character)] = [
            ("àáâãäåā", "a"), ("çćč", "c"), ("èéêëēė", "e"), ("ìíîïī", "i"), ("ñń", "n"),
            ("òóôõöøō", "o"), ("ùúûüū", "u"), ("ýÿ", "y"), ("śš", "s"), ("źżž", "z"),
        ]
        var table: [UInt32: UInt8] = [:]
        for (letters, base) in groups {
            for letter in letters.unicodeScalars { table[letter.value] = base.asciiValue ?? 0x20 }
        }
        return table
    }()
}

/// The hashed n-grams of one text: word n-grams and character n-grams, each possibly repeated.
package struct HashedText: Sendable {
    var words: [UInt32]
    var chars: [UInt32]
}
