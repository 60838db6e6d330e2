import ArgumentParser

/// Catches a mistyped command before the parser does, and names the command it was probably meant to be:
/// `smallchanges sesions` would otherwise be taken as words given to the default `chat` command.
struct CommandSuggestion: Equatable, CustomStringConvertible {
    /// The commands typed before the unknown word (`intents` in `smallchanges intents evl`).
    var path: [String]
    /// The word that names no command.
    var word: String
    /// The commands it was probably meant to be, closest first; may be empty.
    var suggestions: [String]
    /// Every command that would have been understood there, to list when nothing is close.
    var known: [String]

    var description: String {
        let typed = (path + [word]).joined(separator: " ")
        let prefix = path.map { "\($0) " }.joined()
        guard !suggestions.isEmpty else {
            return "'\(typed)' is not a command (commands: \(known.joined(separator: ", ")))"
        }
        return "'\(typed)' is not a command; did you mean: \(suggestions.map { prefix + $0 }.joined(separator: ", "))?"
    }

    /// A command and the names of its subcommands, as they are typed.
    struct Tree: Equatable {
        var name: String
        var subcommands: [Tree]

        init(name: String, subcommands: [Tree] = []) {
            self.name = name
            self.subcommands = subcommands
        }

        init(_ command: any ParsableCommand.Type) {
            let configuration = command.configuration
            name = configuration.commandName ?? String(describing: command).lowercased()
            subcommands = configuration.subcommands.map { Tree($0) }
        }
    }

    /// The first word of `arguments` that should name a command but names none, or `nil`.
    ///
    /// Only words where a subcommand is expected count: the first one after a command that has subcommands,
    /// before any option. A command with subcommands takes no words of its own here (the default `chat` takes
    /// none), so any other word there is a mistake.
    static func find(in arguments: [String], tree: Tree) -> CommandSuggestion? {
        var node = tree
        var path: [String] = []
        for argument in arguments {
            guard !node.subcommands.isEmpty, !argument.hasPrefix("-") else { return nil }
            // The parser's own `help` command, at any level.
            if argument == "help" { return nil }
            guard let next = node.subcommands.first(where: { $0.name == argument }) else {
                let names = node.subcommands.map(\.name)
                return CommandSuggestion(
                    path: path, word: argument, suggestions: closest(to: argument, among: names), known: names)
            }
            path.append(argument)
            node = next
        }
        return nil
    }

    /// The names `word` was probably meant to be: those it starts (three letters at least), else those
    /// fewest edits away, if that is at most a third of its length (one edit for short words).
    static func closest(to word: String, among names: [String]) -> [String] {
        let typed = word.lowercased()
        if typed.count >= 3 {
            let started = names.filter { $0.hasPrefix(typed) }
            if !started.isEmpty { return started }
        }
        let limit = max(1, min(2, typed.count / 3))
        let scored = names.map { (name: $0, edits: edits(typed, $0)) }.filter { $0.edits <= limit }
        guard let best = scored.map(\.edits).min() else { return [] }
        return scored.filter { $0.edits == best }.map(\.name)
    }

    /// The number of single-letter insertions, deletions, substitutions and swaps of neighbours that turn `a`
    /// into `b` (optimal string alignment distance).
    static func edits(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}
