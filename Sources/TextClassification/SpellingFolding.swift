/// Folds British spellings onto American ones, word by word, so "organise the programme" and
/// "organize the program" give the same features.
///
/// The rules only need to be consistent, not linguistically perfect: training examples and answers are folded the
/// same way, so a word folded by mistake still meets itself.
enum SpellingFolding {
    /// The folded form of one lowercase word, or `nil` when it folds to itself (most words do, and then
    /// nothing is allocated).
    static func folded(_ word: ArraySlice<UInt8>) -> [UInt8]? {
        guard word.count >= 4 else { return nil }
        guard wholeWordEnds.contains(ends(of: word)) || mayHaveOur(word) || mayEndInIse(word) else { return nil }
        let whole = Array(word)
        let result = fold(whole)
        return result == whole ? nil : result
    }

    /// The folded form of one lowercase word.
    private static func fold(_ word: [UInt8]) -> [UInt8] {
        if word.count < 4 { return word }
        // Cheap tests first, since most words fold to themselves: a table lookup hashes the whole word.
        if wholeWordEnds.contains(ends(of: word)), let whole = wholeWords[word] { return whole }
        if let folded = foldOur(word) { return folded }
        guard mayEndInIse(word[...]) else { return word }
        for (suffix, replacement) in suffixes where word.count >= suffix.count + 3 && word.hasSuffix(suffix) {
            let stem = Array(word.dropLast(suffix.count))
            if suffix.first == UInt8(ascii: "i"), keepsIse.contains(stem + Array("ise".utf8)) { return word }
            return stem + replacement
        }
        return word
    }

    /// Words whose British form differs in a way no suffix rule catches.
    private static let wholeWords: [[UInt8]: [UInt8]] = {
        let pairs: [(String, String)] = [
            ("programme", "program"), ("programmes", "programs"), ("centre", "center"), ("centres", "centers"),
            ("theatre", "theater"), ("metre", "meter"), ("metres", "meters"), ("litre", "liter"),
            ("litres", "liters"), ("catalogue", "catalog"), ("dialogue", "dialog"), ("licence", "license"),
            ("defence", "defense"), ("offence", "offense"), ("practise", "practice"), ("practised", "practiced"),
            ("practising", "practicing"), ("enrol", "enroll"), ("enrolment", "enrollment"),
            ("aeroplane", "airplane"), ("tyre", "tire"), ("tyres", "tires"), ("grey", "gray"),
            ("judgement", "judgment"), ("fulfil", "fulfill"), ("mum", "mom"), ("maths", "math"),
            ("cancelled", "canceled"), ("cancelling", "canceling"), ("travelled", "traveled"),
            ("travelling", "traveling"), ("traveller", "traveler"), ("travellers", "travelers"),
            ("labelled", "labeled"), ("modelling", "modeling"), ("counselling", "counseling"),
            ("jewellery", "jewelry"), ("paediatric", "pediatric"), ("manoeuvre", "maneuver"),
            ("cheque", "check"), ("cheques", "checks"), ("whilst", "while"), ("amongst", "among"),
            ("learnt", "learned"), ("spelt", "spelled"), ("burnt", "burned"), ("towards", "toward"),
            ("holiday", "vacation"), ("holidays", "vacations"),
        ]
        var table: [[UInt8]: [UInt8]] = [:]
        for (british, american) in pairs { table[Array(british.utf8)] = Array(american.utf8) }
        return table
    }()

    /// The first and last letter and the length of a word, packed: every word of `wholeWords` has its own.
    private static func ends(of word: some BidirectionalCollection<UInt8>) -> Int {
        Int(word.first ?? 0) << 16 | Int(word.last ?? 0) << 8 | min(word.count, 255)
    }

    private static let wholeWordEnds = Set(wholeWords.keys.map(ends(of:)))

    /// Whether the word has "is" or "ys" among its last eight letters, as every suffix of `suffixes` does.
    private static func mayEndInIse(_ word: ArraySlice<UInt8>) -> Bool {
        let s = UInt8(ascii: "s")
        let i = UInt8(ascii: "i")
        let y = UInt8(ascii: "y")
        for position in max(word.startIndex + 1, word.endIndex - 7)..<word.endIndex where word[position] == s {
            if word[position - 1] == i || word[position - 1] == y { return true }
        }
        return false
    }

    /// Whether "our" sits 3 to 7 letters into the word, as in every stem of `ourStems`.
    private static func mayHaveOur(_ word: ArraySlice<UInt8>) -> Bool {
        (2...6).contains { offset in
            let start = word.startIndex + offset
            return start + 3 <= word.endIndex && word[start..<(start + 3)].elementsEqual("our".utf8)
        }
    }

    /// Stems spelled -our in British English: "colour", "favourite", "behaviours", "neighbourhood".
    private static let ourStems: [[UInt8]] = [
        "colour", "favour", "behaviour", "honour", "labour", "neighbour", "humour", "flavour", "rumour", "harbour",
        "savour", "endeavour", "vigour", "odour", "armour", "parlour", "glamour",
    ].map { Array($0.utf8) }

    private static func foldOur(_ word: [UInt8]) -> [UInt8]? {
        // Every stem has "our" at its end, 3 to 7 letters in.
        guard mayHaveOur(word[...]) else { return nil }
        for stem in ourStems where word.count >= stem.count && word.starts(with: stem) {
            // Drop the "u" of the final "our".
            var folded = Array(stem.dropLast(2))
            folded.append(UInt8(ascii: "r"))
            folded.append(contentsOf: word.dropFirst(stem.count))
            return folded
        }
        return nil
    }

    /// -ise and -yse endings, longest first.
    private static let suffixes: [([UInt8], [UInt8])] = [
        ("isations", "izations"), ("isation", "ization"), ("ising", "izing"), ("isers", "izers"), ("ised", "ized"),
        ("ises", "izes"), ("iser", "izer"), ("ise", "ize"), ("ysing", "yzing"), ("ysed", "yzed"), ("yse", "yze"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// Words that end in -ise on both sides of the Atlantic.
    private static let keepsIse: Set<[UInt8]> = Set(
        [
            "wise", "otherwise", "likewise", "clockwise", "rise", "arise", "sunrise", "raise", "praise", "appraise",
            "promise", "premise", "exercise", "advise", "devise", "revise", "supervise", "surprise", "expertise",
            "enterprise", "franchise", "compromise", "despise", "concise", "precise", "noise", "poise", "cruise",
            "bruise", "merchandise", "televise", "disguise", "improvise", "excise", "demise", "paradise",
            "treatise", "tortoise", "turquoise", "guise", "reprise", "incise", "comprise", "chastise", "vise",
        ].map { Array($0.utf8) })
}

extension Array where Element == UInt8 {
    fileprivate func hasSuffix(_ suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
