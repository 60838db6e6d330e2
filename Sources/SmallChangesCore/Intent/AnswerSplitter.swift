/// Splits an answer that lists several things ("no time, no money and no backing from above") into its items.
///
/// Lines, semicolons and bullets always separate items. Commas and "and"/"or" separate items only when the answer
/// reads as a list: "A, B and C", or parts that open the same way ("no time and no money", "we could ... and we
/// could ..."). That keeps one-idea answers whole: "I'll email the team and book the room" is one step, and
/// "when I get back, I'll email them" is one sentence.
public enum AnswerSplitter {
    /// The items of `text`, in order; a single element (the trimmed text) when it is not a list.
    public static func split(_ text: String) -> [String] {
        let whole = clean(text)
        guard mayBeList(text) else { return [whole] }
        var items: [String] = []
        for part in hardParts(text) {
            items.append(contentsOf: softParts(part))
        }
        items = items.map(clean).filter { $0.unicodeScalars.contains { $0.properties.isAlphabetic } }
        return items.count >= 2 ? items : [whole]
    }

    /// A quick scan for anything that could separate items, so most answers skip the string work.
    private static func mayBeList(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(mayBeList) ?? mayBeList(Array(text.utf8))
    }

    private static func mayBeList(_ bytes: some Collection<UInt8>) -> Bool {
        var word: UInt32 = 0
        var length = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "&"), 0xE2:
                return true
            case UInt8(ascii: " "):
                if length > 0 && length <= 4 && isSeparatorWord(word) { return true }
                word = 0
                length = 0
            default:
                length += 1
                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                if length <= 4 { word = word << 8 | UInt32(lower) }
            }
        }
        return false
    }

    /// Whether a word packed as big-endian bytes is "and", "or", "nor", "plus", "as" or "but".
    private static func isSeparatorWord(_ word: UInt32) -> Bool {
        switch word {
        case 0x61_6E64, 0x6F72, 0x6E_6F72, 0x706C_7573, 0x6173, 0x62_7574: true
        default: false
        }
    }

    /// Lines, semicolons and bullets, with list markers ("-", "*", "•", "1.", "2)") removed.
    private static func hardParts(_ text: String) -> [String] {
        var parts: [String] = []
        let separated = text.utf8.contains {
            $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\r") || $0 == 0xE2
        }
        let lines =
            separated
            ? text.split(whereSeparator: { $0 == "\n" || $0 == ";" || $0 == "•" || $0 == "\r" }) : [Substring(text)]
        for line in lines {
            var piece = Substring(line).drop { $0 == " " || $0 == "\t" }
            if let first = piece.first, first == "-" || first == "*" {
                piece = piece.dropFirst()
            } else {
                let digits = piece.prefix { $0.isNumber }
                let rest = piece.dropFirst(digits.count)
                if !digits.isEmpty, digits.count <= 2, let marker = rest.first, marker == "." || marker == ")",
                    rest.dropFirst().first == " "
                {
                    piece = rest.dropFirst()
                }
            }
            let cleaned = clean(piece)
            if !cleaned.isEmpty { parts.append(cleaned) }
        }
        return parts
    }

    /// Comma lists and parallel "and"/"or" phrases inside one line.
    private static func softParts(_ part: String) -> [String] {
        let commaParts =
            UTF8Scan.contains(part, UInt8(ascii: ","))
            ? part.split(separator: ",").map { clean($0) }.filter { !$0.isEmpty } : [part]
        if commaParts.count >= 2 {
            var items = Array(commaParts.dropLast())
            let (lastItems, joined) = splitConjunctions(commaParts[commaParts.count - 1])
            items.append(contentsOf: lastItems)
            items = items.map(dropLeadingConjunction)
            let endsWithConjunction = joined || commaParts.dropFirst().contains { startsWithConjunction($0) }
            if items.contains(where: startsSubordinate) { return [part] }
            if items.count >= 3 && endsWithConjunction { return items }
            if sameOpening(items) { return items }
            return [part]
        }
        let (items, joined) = splitConjunctions(part)
        if joined, items.allSatisfy({ wordCount($0) >= 2 }), sameOpening(items),
            !items.contains(where: startsSubordinate)
        {
            return items
        }
        return [part]
    }

    /// Splits at every " and ", " or ", " & ", " plus ", " as well as ", " but also ".
    ///
    /// - Parameter general: always take the path that handles any text (tests compare the two).
    static func splitConjunctions(_ text: String, general: Bool = false) -> ([String], Bool) {
        if !general,
            let split = text.utf8.withContiguousStorageIfAvailable({ bytes in
                UTF8Scan.isASCII(bytes) ? asciiConjunctions(bytes) : nil
            }), let split
        {
            return split
        }
        let words =
            isASCII(text)
            ? text.utf8.split(separator: UInt8(ascii: " ")).map { Substring($0) }
            : text.split(separator: " ", omittingEmptySubsequences: true)
        // Every joining word is short: only short words need lower-casing to compare.
        let lower = words.map { $0.utf8.count <= 4 ? $0.lowercased() : "" }
        var items: [String] = []
        var current: Substring.Index?
        var currentEnd: Substring.Index?
        var index = 0
        while index < words.count {
            let word = lower[index]
            var skip = 0
            if conjunctions.contains(word) {
                skip = 1
            } else if word == "as", index + 2 < words.count, lower[index + 1] == "well", lower[index + 2] == "as" {
                skip = 3
            } else if word == "but", index + 1 < words.count, lower[index + 1] == "also" {
                skip = 2
            }
            if skip > 0, let start = current, let end = currentEnd, index + skip < words.count {
                items.append(Self.joinedWords(text[start..<end]))
                current = nil
                index += skip
                continue
            }
            if current == nil { current = words[index].startIndex }
            currentEnd = words[index].endIndex
            index += 1
        }
        if let start = current, let end = currentEnd { items.append(Self.joinedWords(text[start..<end])) }
        return (items.count >= 2 ? items : [text], items.count >= 2)
    }

    /// `splitConjunctions` for ASCII text, on its bytes: the same words, joining words and items, without
    /// building a string for every word.
    private static func asciiConjunctions(_ bytes: UnsafeBufferPointer<UInt8>) -> ([String], Bool) {
        var words: [Range<Int>] = []
        words.reserveCapacity(32)
        var start: Int?
        for index in 0..<bytes.count {
            if bytes[index] == UInt8(ascii: " ") {
                if let wordStart = start { words.append(wordStart..<index) }
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let wordStart = start { words.append(wordStart..<bytes.count) }
        func word(_ index: Int, is literal: StaticString) -> Bool {
            let range = words[index]
            guard range.count == literal.utf8CodeUnitCount else { return false }
            let letters = literal.utf8Start
            for offset in 0..<range.count {
                let byte = bytes[range.lowerBound + offset]
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if lower != letters[offset] { return false }
            }
            return true
        }
        var items: [Range<Int>] = []
        items.reserveCapacity(4)
        var current: Int?
        var index = 0
        while index < words.count {
            var skip = 0
            if word(index, is: "and") || word(index, is: "or") || word(index, is: "&") || word(index, is: "plus")
                || word(index, is: "nor")
            {
                skip = 1
            } else if word(index, is: "as"), index + 2 < words.count, word(index + 1, is: "well"),
                word(index + 2, is: "as")
            {
                skip = 3
            } else if word(index, is: "but"), index + 1 < words.count, word(index + 1, is: "also") {
                skip = 2
            }
            if skip > 0, let first = current, index + skip < words.count {
                items.append(first..<index)
                current = nil
                index += skip
                continue
            }
            if current == nil { current = index }
            index += 1
        }
        if let first = current { items.append(first..<words.count) }
        guard items.count >= 2 else { return ([String(decoding: bytes, as: UTF8.self)], false) }
        let strings = items.map { item in
            var joined: [UInt8] = []
            for index in item {
                if !joined.isEmpty { joined.append(UInt8(ascii: " ")) }
                joined.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[words[index]]))
            }
            return String(decoding: joined, as: UTF8.self)
        }
        return (strings, true)
    }

    /// The words of a stretch of text joined by single spaces.
    private static func joinedWords(_ text: Substring) -> String {
        var previousWasSpace = true
        for byte in text.utf8 {
            let space = byte == UInt8(ascii: " ")
            if space && previousWasSpace { return text.split(separator: " ").joined(separator: " ") }
            previousWasSpace = space
        }
        return previousWasSpace ? text.split(separator: " ").joined(separator: " ") : String(text)
    }

    private static let conjunctions: Set<String> = ["and", "or", "&", "plus", "nor"]

    /// Words that open the items of a list of barriers: "no time, not enough staff, too much paperwork".
    private static let negativeOpenings: Set<String> = [
        "no", "not", "too", "never", "nobody", "noone", "nothing", "lack", "little", "few", "less", "hardly",
        "barely", "zero", "cant", "cannot", "dont", "wont", "isnt", "arent", "doesnt", "lots", "loads", "so",
        "constant", "endless", "poor", "limited",
    ]

    /// Words after which a comma clause belongs to the sentence before it, not a new item.
    private static let subordinateOpenings: Set<String> = [
        "but", "because", "cos", "which", "when", "if", "then", "that", "who", "where", "unless", "until", "since",
        "although", "though", "whereas", "while", "so that", "otherwise", "especially", "like", "eg", "ie",
    ]

    private static func firstWord(_ text: String) -> String {
        if isASCII(text) {
            var letters: [UInt8] = []
            for byte in text.utf8.drop(while: { $0 == UInt8(ascii: " ") }).prefix(while: { $0 != UInt8(ascii: " ") }) {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): letters.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): letters.append(byte | 0x20)
                default: break
                }
            }
            return String(decoding: letters, as: UTF8.self)
        }
        let word = text.drop { $0 == " " }.prefix { $0 != " " }
        // Letters only, so "don't" and "dont" compare equal.
        var letters = String.UnicodeScalarView()
        for scalar in word.unicodeScalars where scalar.properties.isAlphabetic { letters.append(scalar) }
        return String(letters).lowercased()
    }

    private static func sameOpening(_ items: [String]) -> Bool {
        let openings = items.map(firstWord)
        guard let first = openings.first, !first.isEmpty else { return false }
        return openings.allSatisfy { $0 == first } || openings.allSatisfy { negativeOpenings.contains($0) }
    }

    private static func startsSubordinate(_ text: String) -> Bool {
        subordinateOpenings.contains(firstWord(text))
    }

    private static func startsWithConjunction(_ text: String) -> Bool {
        let word = firstWord(text)
        return conjunctions.contains(word) || word == "also"
    }

    private static func dropLeadingConjunction(_ text: String) -> String {
        let word = firstWord(text)
        guard conjunctions.contains(word) || word == "also" else { return text }
        return clean(text.drop { $0 != " " })
    }

    private static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for byte in text.utf8 {
            let space = byte == UInt8(ascii: " ")
            if !space && !inWord { count += 1 }
            inWord = !space
        }
        return count
    }

    /// Trims spaces and the punctuation that ends or wraps an item.
    private static func clean(_ text: some StringProtocol) -> String {
        if isASCII(text) {
            // Bytes are characters: trim them without building characters.
            let bytes = Substring(text).utf8
            var start = bytes.startIndex
            var end = bytes.endIndex
            while start < end, trailingBytes.contains(bytes[bytes.index(before: end)]) {
                end = bytes.index(before: end)
            }
            while start < end, leadingBytes.contains(bytes[start]) { start = bytes.index(after: start) }
            return String(Substring(bytes[start..<end]))
        }
        var characters = Substring(text)
        while let last = characters.last, trailingEdges.contains(last) || last.isWhitespace {
            characters = characters.dropLast()
        }
        while let first = characters.first, leadingEdges.contains(first) || first.isWhitespace {
            characters = characters.dropFirst()
        }
        return String(characters)
    }

    private static let trailingEdges: Set<Character> = [".", "!", "?", ",", ":", "-", "\"", "(", ")"]
    private static let leadingEdges: Set<Character> = ["\"", "("]
    /// The same edges and ASCII whitespace, as bytes.
    private static let trailingBytes = ASCIISet(Array(".!?,:-\"()".utf8) + asciiWhitespace)
    private static let leadingBytes = ASCIISet(Array("\"(".utf8) + asciiWhitespace)
    private static let asciiWhitespace: [UInt8] = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20]

    private static func isASCII(_ text: some StringProtocol) -> Bool {
        UTF8Scan.isASCII(text)
    }
}

/// A set of ASCII bytes as a 128-bit mask: a `Set<UInt8>` hashes every byte it is asked about.
private struct ASCIISet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ bytes: [UInt8]) {
        for byte in bytes where byte < 0x80 {
            if byte < 64 { low |= 1 << byte } else { high |= 1 << (byte - 64) }
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? (low >> byte) & 1 == 1 : byte < 0x80 ? (high >> (byte - 64)) & 1 == 1 : false
    }
}
