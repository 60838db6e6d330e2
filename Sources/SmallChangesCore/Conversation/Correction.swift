import Foundation

/// A person saying the last answer was misheard: "no thats not what i meant", "that's wrong", "no, that's not my
/// aim, that's a problem. my aim is ...", "it's one problem not three".
///
/// Read from the words, so a correction is honoured however the matcher hears it; what follows the correction
/// ("my aim is ...") is kept as the answer it is.
public struct Correction: Sendable, Equatable {
    /// Where the person says the taken-back answer belongs ("that's a problem": barriers), if they say.
    public var belongs: PlanField?
    /// The words after the correction, when they are an answer in their own right ("my aim is to ...").
    public var rest: String?
    /// True when the person says it was one thing, not several ("it's one problem not three").
    public var oneThing: Bool

    /// Reads a correction from an answer; `nil` when the answer is not one.
    public static func read(_ text: String) -> Correction? {
        // Every correction says one of these words, or opens with "no" or the like: most answers are ruled out
        // here, before any pattern runs (this is read for every answer).
        let words = text.lowercased().split { !$0.isWordLetter && $0 != "'" && $0 != "\u{2019}" }
        guard let first = words.first,
            fillers.contains(String(first))
                || words.contains(where: { triggers.contains(String($0)) || $0.hasSuffix("n't") || $0.hasSuffix("nt") })
        else { return nil }
        let clauses = Self.clauses(text)
        // "no, that's a problem": a leading no and a clause that says where it belongs is a correction too.
        let opening = clauses.drop { fillers.contains($0.normal) }
        guard let first = opening.first,
            isCorrection(first.normal) || (opening.count < clauses.count && isFieldNaming(first.normal))
        else { return nil }
        var belongs: PlanField?
        var oneThing = false
        var restStart: String.Index?
        for clause in clauses {
            let normal = clause.normal
            if isCorrection(normal) || isFieldNaming(normal) || fillers.contains(normal) || isAside(normal) {
                if let field = namedField(normal) { belongs = field }
                if firstMatch(oneThingExpression, in: normal) != nil { oneThing = true }
                continue
            }
            restStart = clause.range.lowerBound
            break
        }
        var rest: String?
        if let restStart {
            let words = text[restStart...].trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
            if words.split(separator: " ").count >= 3 { rest = words }
        }
        return Correction(belongs: belongs, rest: rest, oneThing: oneThing)
    }

    /// The answer cut at sentence marks and commas, each piece with a normalised form (lowercase, no apostrophes).
    static func clauses(_ text: String) -> [(range: Range<String.Index>, normal: String)] {
        var pieces: [(Range<String.Index>, String)] = []
        var start = text.startIndex
        var index = text.startIndex
        func close(_ end: String.Index) {
            let piece = text[start..<end]
            let normal = normalise(piece)
            if !normal.isEmpty { pieces.append((start..<end, normal)) }
        }
        while index < text.endIndex {
            let character = text[index]
            if ".,;!?:\n-".contains(character) || character == "\u{2014}" {
                close(index)
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        close(text.endIndex)
        return pieces
    }

    static func normalise(_ text: Substring) -> String {
        let lower = text.lowercased().removingScalars { $0 == "'" || $0 == "\u{2019}" }
        return lower.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Whether a clause says the last answer was misheard.
    static func isCorrection(_ clause: String) -> Bool {
        firstMatch(correctionExpression, in: clause) != nil
    }

    /// Whether a clause names where an answer belongs ("thats a problem", "it was meant as an idea").
    static func isFieldNaming(_ clause: String) -> Bool {
        namedField(clause) != nil && firstMatch(fieldNamingOpening, in: clause) != nil
    }

    /// The field a clause names as the right one: "thats a problem" is barriers; "not my aim" names nothing.
    static func namedField(_ clause: String) -> PlanField? {
        for (expression, field) in fieldExpressions {
            guard let found = firstMatch(expression, in: clause) else { continue }
            // "not my aim" says where it does not belong.
            let before = clause[..<found.lowerBound]
            if before.hasSuffix("not ") || clause[found].hasPrefix("not") { continue }
            return field
        }
        return nil
    }

    static let fillers: Set<String> = [
        "no", "nope", "nah", "oops", "sorry", "wait", "hang on", "hmm", "ugh", "argh", "undo", "undo that", "go back",
        "back", "my bad", "my mistake", "delete that", "scrap that",
    ]

    static let triggers: Set<String> = [
        "not", "wrong", "incorrect", "mistake", "misunderstood", "misheard", "should", "meant", "supposed", "put",
        "move", "take", "scrap", "delete", "remove", "undo", "belong",
    ]

    /// An aside about the slip itself ("I pressed enter too soon", "sent it half finished"): not an answer.
    static func isAside(_ clause: String) -> Bool {
        firstMatch(asideExpression, in: clause) != nil
    }

    /// Every correction pattern as one expression, compiled once: the opening they share, then the rest of each as
    /// an alternation. A clause is a correction when any pattern matches, which one match of this says, anchored
    /// at the start as each pattern is (corrections are looked for in every answer).
    static let correctionExpression = compile(correctionLead + "(?:" + correctionRests.joined(separator: "|") + ")")

    /// Each correction pattern after the opening they share.
    static let correctionRests = correctionPatterns.map { "(?:\($0.dropFirst(correctionLead.count)))" }

    static let oneThingExpression = compile("\\b(one|a single|just one)\\b.*\\bnot\\b")

    static let fieldNamingOpening = compile("^(but |no |its |it was |that was |thats |that is |it is |i meant |meant )")

    static let asideExpression = compile(
        "\\b(pressed|hit|hitting|pressing) (enter|send|return)|\\bsent it\\b|\\b(half finished|too soon|too early|by mistake|typo|fat finger)"
    )

    /// A pattern written in this file; one that did not compile would match nothing, as `range(of:options:)` finds
    /// nothing for it.
    private static func compile(_ pattern: String) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: pattern)
    }

    static let fieldExpressions: [(NSRegularExpression, PlanField)] = fieldWords.compactMap { words, field in
        let pattern =
            "\\b(thats|that is|its|it is|it was|that was|meant|should be|as|under|in|put it in|more)\\s+"
            + "(an?\\s+|my\\s+|the\\s+)?(\(words))\\b"
        return (try? NSRegularExpression(pattern: pattern)).map { ($0, field) }
    }

    /// The range of the first match of `expression` in `text`.
    static func firstMatch(_ expression: NSRegularExpression?, in text: String) -> Range<String.Index>? {
        guard let expression else { return nil }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).flatMap {
            Range($0.range, in: text)
        }
    }

    static let fieldWords: [(String, PlanField)] = [
        ("problem|barrier|issue|obstacle|blocker|thing in the way|something in the way", .barriers),
        ("idea|suggestion", .ideas),
        ("aim|goal|target", .aim),
        ("step|action|first step|next step", .steps),
        ("measure|way of measuring", .measures),
        ("principle|value", .principles),
        ("prediction", .predictions),
    ]

    /// How every correction pattern opens.
    static let correctionLead = "^(no+|nope|nah|oops|sorry|wait|um|erm|hmm|ugh)?\\s*"

    static let correctionPatterns: [String] = {
        let lead = correctionLead
        let that = "(thats|that is|that was|its|it is|it was|this is)"
        let field = "(problem|barrier|issue|idea|aim|goal|target|step|measure|principle|value|prediction|point|answer)"
        return [
            lead + that + "\\s+not\\s+(what i|quite what|what im|where)\\b",
            lead + that + "\\s+not\\s+(right|correct|quite right|it|true|that)$",
            lead + that + "\\s+not\\s+(an?|my|the)\\s+" + field + "s?\\b",
            lead + "(thats|that is|that was|this is)\\s+(wrong|incorrect|a mistake|not right)$",
            lead + "not what i (meant|said|mean|wanted|was saying|was getting at)\\b",
            lead + "(you|it) (got|heard|took|put|filed|understood) (that|it|me|this) (wrong|in the wrong)",
            lead + "(you|youve|you have) (misunderstood|misheard|got it wrong|got that wrong)",
            lead + "(wrong|incorrect|not right)$",
            lead
                + "(that|that one|that last one) (should|shouldve|should have) (go|gone|be|been) (in|under|with|as|an?|my)\\s+(the\\s+|an?\\s+|my\\s+)?"
                + field + "s?\\b",
            lead + "i meant\\b",
            lead + that + " (just )?(one|a single) \\w+,? not (two|three|four|five|\\d+|several|lots|many)\\b",
            lead + that + " (meant to be|supposed to be) (an?\\s+|my\\s+|the\\s+)?" + field + "s?\\b",
            lead + "(put|move) (that|it|this) (in|under|as|to|into)\\s+(the\\s+|an?\\s+|my\\s+)?" + field + "s?\\b",
            lead + "(take|scrap|delete|remove|undo) (that|it|this|the last)( one| answer| bit)?( back| out)?$",
            lead + "(that|it) (doesnt|does not) (belong|go) (there|here|in)",
            lead + "wrong (box|place|section|bit|list)\\b",
        ]
    }()
}
