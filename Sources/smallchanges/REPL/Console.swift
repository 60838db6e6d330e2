import Foundation
import SmallChangesCore

/// Writes the conversation to the terminal: colour on a terminal, plain text when piped or `NO_COLOR`; on a
/// terminal, words wrap at its width as it is now, and long output goes through the pager.
struct Console {
    enum ColorChoice: String, CaseIterable {
        case auto, always, never
    }

    let color: Bool

    init(choice: ColorChoice, environment: [String: String] = ProcessInfo.processInfo.environment) {
        switch choice {
        case .always: color = true
        case .never: color = false
        case .auto:
            let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
            color = !noColor && environment["TERM"] != "dumb" && isatty(STDOUT_FILENO) == 1
        }
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func dim(_ text: String) -> String { paint(text, "2") }
    func bold(_ text: String) -> String { paint(text, "1") }

    /// A readline prompt: escape codes are wrapped in \001 … \002 so readline measures the width right.
    func promptMarker(_ text: String, interactive: Bool) -> String {
        guard color, interactive else { return text }
        return "\u{01}\u{1B}[1;36m\u{02}\(text)\u{01}\u{1B}[0m\u{02}"
    }

    func write(_ text: String) {
        FileHandle.standardOutput.write(Data((wrapped(text) + "\n").utf8))
    }

    /// Writes long text (a plan, a list of sessions) through the pager when it is taller than the screen.
    func page(_ text: String) {
        Pager.show(wrapped(text) + "\n")
    }

    /// The text wrapped at the terminal's width, asked each time so a resize is followed; unchanged when piped.
    private func wrapped(_ text: String) -> String {
        guard let size = TerminalSize.of(STDOUT_FILENO) else { return text }
        return TextWrap.wrap(text, width: size.columns)
    }

    func show(_ message: Message) {
        switch message.kind {
        case .heard: write(paint("  \u{2713} \(message.text)", "32"))
        case .example: write(paint(indent(message.text, "  \u{2022} "), "36"))
        case .warning: write(paint("  ! \(message.text)", "33"))
        case .pair: write(paint("  \(message.speaker.map { "\($0): " } ?? "")\(message.text)", "35"))
        case .info: write(indent(message.text, ""))
        }
    }

    func show(_ prompt: Prompt) {
        write("")
        var header = "\(prompt.stage) \u{00B7} step \(prompt.step) of \(prompt.of)"
        if let speaker = prompt.speaker { header += " \u{00B7} \(speaker)" }
        write(dim(header))
        write(bold(prompt.text))
        if let choices = prompt.choices, prompt.type == .choice {
            for (index, choice) in choices.enumerated() { write("  \(index + 1). \(choice)") }
        }
    }

    private func indent(_ text: String, _ first: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let rest = String(repeating: " ", count: first.count)
        return lines.enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }.joined(separator: "\n")
    }
}
