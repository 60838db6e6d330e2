/// Breaks text into lines no wider than a terminal, between words, never inside one.
///
/// Widths are what the terminal shows: colour codes take no room and wide characters (CJK, emoji) take two
/// cells. A line that starts with an indent or a list marker (`  • `, `- `, `1. `, `  ✓ `) keeps its text
/// lined up under the first word when it wraps. A word wider than the line is left whole on a line of its own.
enum TextWrap {
    static func wrap(_ text: String, width: Int) -> String {
        guard width > 0 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine($0, width: width) }
            .joined(separator: "\n")
    }

    private static func wrapLine(_ line: Substring, width: Int) -> String {
        guard displayWidth(line) > width else { return String(line) }
        let hanging = hangingIndent(line)
        let indent = hanging < width / 2 ? String(repeating: " ", count: hanging) : ""
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        // Each word with the spaces before it, kept as typed inside a line (columns stay lined up) and dropped
        // where the line breaks; the spaces before the first word are the first line's indent.
        for (spaces, word) in words(line) {
            let wordWidth = displayWidth(Substring(word))
            if current.isEmpty && lines.isEmpty || currentWidth + spaces.count + wordWidth <= width {
                current += spaces + word
                currentWidth += spaces.count + wordWidth
            } else {
                lines.append(current)
                current = indent + word
                currentWidth = indent.count + wordWidth
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// The words of a line, each with the run of spaces before it; spaces at the end are dropped.
    private static func words(_ line: Substring) -> [(spaces: String, word: String)] {
        var result: [(spaces: String, word: String)] = []
        var rest = line[...]
        while !rest.isEmpty {
            let spaces = rest.prefix { $0 == " " }
            rest = rest.dropFirst(spaces.count)
            let word = rest.prefix { $0 != " " }
            rest = rest.dropFirst(word.count)
            if !word.isEmpty { result.append((String(spaces), String(word))) }
        }
        return result
    }

    /// The width of a line's indent and list marker, if any: where its wrapped lines start.
    static func hangingIndent(_ line: Substring) -> Int {
        let visible = Array(stripped(line))
        var index = 0
        while index < visible.count, visible[index] == " " { index += 1 }
        let markers: Set<Character> = ["\u{2022}", "-", "*", "\u{2713}", "!", "\u{00B7}"]
        if index + 1 < visible.count, markers.contains(visible[index]), visible[index + 1] == " " {
            return index + 2
        }
        var digits = index
        while digits < visible.count, visible[digits].isASCII, visible[digits].isNumber { digits += 1 }
        if digits > index, digits + 1 < visible.count, visible[digits] == "." || visible[digits] == ")",
            visible[digits + 1] == " "
        {
            return digits + 2
        }
        return index
    }

    /// How many terminal cells `text` takes.
    static func displayWidth(_ text: Substring) -> Int {
        stripped(text).reduce(0) { $0 + cells($1) }
    }

    /// The text without its escape sequences (`ESC [ … letter`), which take no room on screen.
    static func stripped(_ text: Substring) -> String {
        var result = ""
        var escape = false
        var bracket = false
        for scalar in text.unicodeScalars {
            if escape {
                if !bracket && scalar == "[" {
                    bracket = true
                } else if !bracket || (0x40...0x7E).contains(scalar.value) {
                    escape = false
                    bracket = false
                }
                continue
            }
            if scalar == "\u{1B}" {
                escape = true
                continue
            }
            // readline's markers around invisible text in a prompt.
            if scalar == "\u{01}" || scalar == "\u{02}" { continue }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func cells(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
