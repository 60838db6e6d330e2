/// A person named in an answer to a who-question: a first name ("Sam", "priya"), a name with a role ("Dev, my
/// co-worker") or a role alone ("my supervisor", "the deputy head").
///
/// A bare name looks like nothing else to a text classifier, so a who-question reads it with these rules first.
public enum PersonReference {
    /// The person an answer names, as typed ("my supervisor", "Sam"); `nil` when it names nobody.
    public static func find(in text: String) -> String? {
        let words = text.split { $0 == " " || $0 == "," || $0 == "." || $0 == "!" || $0 == ";" || $0 == ":" }
            .map(String.init)
        guard !words.isEmpty else { return nil }
        let lower = words.map { $0.lowercased() }
        if let role = role(in: lower) { return role }
        // "business support, they'd need to know": a short opening phrase before a comma names who.
        if let comma = text.firstIndex(of: ","), text[..<comma].split(separator: " ").count <= 3 {
            let opening = text[..<comma].lowercased().split(separator: " ").map(String.init)
            let named =
                opening.first.map { ["the", "our", "my"].contains($0) } == true ? opening.dropFirst() : opening[...]
            if !named.isEmpty, named.allSatisfy({ !commonWords.contains($0) && isNameShaped($0) }) {
                return String(text[..<comma])
            }
        }
        for (index, word) in words.enumerated() {
            let low = lower[index]
            guard !fillers.contains(low), !commonWords.contains(low), !roleWords.contains(low) else { continue }
            // A capitalised word, or the one real word of a short answer ("priya").
            let capitalised = word.first?.isUppercase == true && word.count > 1 && word != "I"
            if capitalised || (lower.filter { !fillers.contains($0) }.count <= 2 && isNameShaped(low)) {
                guard isNameShaped(low) else { continue }
                return capitalised ? word : word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        return nil
    }

    /// Whether the whole answer is just a person, with at most a few hedges ("Sam", "probably my supervisor",
    /// "priya i guess", "the deputy head"): such an answer to a who-question is `support`, whatever else it
    /// might look like.
    public static func isWholeAnswer(_ text: String) -> Bool {
        let lower = text.lowercased().split { $0 == " " || $0 == "," || $0 == "." || $0 == "!" || $0 == "?" }
            .map(String.init)
        let content = lower.filter { !fillers.contains($0) }
        guard !content.isEmpty, content.count <= 4,
            !content.contains(where: {
                commonWords.contains($0) && !roleWords.contains($0)
                    && !["my", "our", "the", "a", "and", "me", "with", "from"].contains($0)
            })
        else { return false }
        return find(in: text) != nil
    }

    /// "my supervisor", "our practice manager", "the deputy head": a determiner then role words.
    static func role(in words: [String]) -> String? {
        for index in words.indices where ["my", "our", "the", "a", "his", "her", "their"].contains(words[index]) {
            var end = index + 1
            while end < words.count, end - index <= 3, roleWords.contains(words[end]) { end += 1 }
            if end > index + 1 { return words[index..<end].joined(separator: " ") }
        }
        return nil
    }

    static func isNameShaped(_ word: String) -> Bool {
        word.count >= 2 && word.count <= 14 && word.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" }
    }

    /// Words that qualify a name without being one.
    static let fillers: Set<String> = [
        "probably", "prob", "maybe", "i", "guess", "think", "suppose", "defo", "definitely", "it'll", "itll", "be",
        "it", "will", "would", "ask", "hmm", "um", "erm", "well", "ok", "okay", "just", "prolly", "perhaps", "oh",
    ]

    /// Roles people name at work.
    static let roleWords: Set<String> = [
        "manager", "supervisor", "deputy", "head", "headteacher", "head's", "lead", "leader", "team", "practice",
        "ward", "sister", "matron", "mentor", "buddy", "colleague", "colleagues", "co-worker", "coworker", "partner",
        "senco", "gp", "consultant", "nurse", "doctor", "registrar", "receptionist", "admin", "administrator",
        "coordinator", "co-ordinator", "director", "boss", "senior", "principal", "service", "clinical", "charge",
        "staff", "student", "teacher", "ta", "assistant", "worker", "social", "officer", "probation", "pm", "line",
        "hv", "visitor", "health", "midwife", "pharmacist", "therapist", "psychologist", "chair", "governor",
        "union", "rep", "network", "peer", "peers", "group", "friend", "trainee", "apprentice", "secretary",
    ]

    /// Everyday words that are not names, so "nobody" or "dunno" is never taken for one.
    static let commonWords: Set<String> = [
        "no", "nobody", "noone", "none", "not", "sure", "dunno", "idk", "unsure", "nope", "nah", "yes", "yeah", "yep",
        "me", "myself", "us", "we", "you", "they", "them", "he", "she", "him", "her", "everyone", "anyone",
        "someone", "somebody", "everybody", "all", "the", "a", "an", "my", "our", "their", "his", "and", "or",
        "with", "from", "to", "of", "in", "on", "at", "for", "by", "help", "skip", "pass", "done", "back", "undo",
        "quit", "stop", "that's", "thats", "it's", "its", "what", "who", "how", "why", "when", "where", "which",
        "can", "could", "should", "do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "get",
        "go", "know", "idea", "example", "examples", "plan", "show", "more", "else", "nothing", "everything",
        "thing", "things", "time", "week", "day", "today", "tomorrow", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "every", "each", "next", "this", "there", "here", "then",
        "again", "later", "now", "soon", "really", "very", "too", "also", "only", "still", "than", "about", "good",
        "bad", "fine", "great", "thanks", "thank", "hello", "hi", "hey", "asdf", "qwerty", "lol", "hmm", "weather",
        "joke", "lunch", "tea", "coffee", "same", "other", "else's", "one", "two", "three", "first", "second",
        "self", "alone", "family", "families", "patients", "children", "kids", "parents", "clients",
    ]
}
