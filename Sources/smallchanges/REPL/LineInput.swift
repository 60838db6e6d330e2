import CReadline
import Foundation

/// Where the REPL's lines come from: GNU readline on a terminal, plain lines otherwise.
///
/// Readline is used only when stdin is a terminal and `TERM` is not `dumb`: it would otherwise echo
/// prompts and input into stdout, and transcripts would no longer be plain text.
final class LineInput {
    enum Event {
        case line(String)
        /// Ctrl-C: the typed text was dropped (it stays in the in-memory history, one ↑ away).
        case interrupted(String)
        case end
        /// The watched descriptor became readable first. On a terminal, the half-typed line is kept
        /// off screen and comes back, as it was, with the next `read`.
        case watched
    }

    let interactive: Bool
    private let historyFile: URL?
    /// Commands typed this run, the only lines written to the history file.
    private var savedCommands: [String] = []

    init(interactive: Bool, historyFile: URL?, completions: [String]) {
        self.interactive = interactive
        self.historyFile = historyFile
        guard interactive else { return }
        // The shim copies the words, so C strings that live for the call are enough.
        let words = completions.map { strdup($0) }
        sc_setup("smallchanges", words, Int32(words.count), isatty(STDOUT_FILENO))
        words.forEach { free($0) }
        sc_history_setup(1000)
        if let historyFile {
            _ = sc_history_read(historyFile.path)
            if let text = try? String(contentsOf: historyFile, encoding: .utf8) {
                savedCommands = text.split(separator: "\n").map(String.init)
            }
        }
    }

    /// Reads one line; with `watching`, returns `.watched` as soon as that descriptor is readable,
    /// so the caller can show what arrived while someone is typing.
    func read(prompt: String, watching: Int32? = nil) -> Event {
        guard interactive else {
            FileHandle.standardOutput.write(Data(prompt.utf8))
            guard let line = Swift.readLine(strippingNewline: true) else { return .end }
            // Answers piped in are echoed after the prompt, as a terminal would show them, so the output reads
            // as a transcript.
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            return .line(line)
        }
        var status: Int32 = 0
        let raw = sc_readline_next(prompt, watching ?? -1, &status)
        defer { sc_free(raw) }
        if status == 2 { return .watched }
        guard let raw else { return .end }
        let text = String(cString: raw)
        if status == 1 {
            if !text.isEmpty { sc_history_add(text) }
            return .interrupted(text)
        }
        if !text.trimmingCharacters(in: .whitespaces).isEmpty { sc_history_add(text) }
        return .line(text)
    }

    /// Remembers a command for the history file. Answers are never written there: they may name real people.
    func rememberCommand(_ line: String) {
        savedCommands.append(line)
    }

    /// Writes the history file (commands only, mode 0600 in a 0700 folder).
    func close() {
        guard interactive else { return }
        sc_readline_cancel()
        guard let historyFile else { return }
        let folder = historyFile.deletingLastPathComponent()
        try? FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        sc_history_clear()
        for command in savedCommands.suffix(1000) { sc_history_add(command) }
        _ = sc_history_write(historyFile.path)
        chmod(historyFile.path, 0o600)
    }

    /// The history file: `SMALLCHANGES_HISTFILE`, else `$XDG_STATE_HOME/smallchanges/history`;
    /// none when `SMALLCHANGES_NOHISTORY` is set.
    static func historyFile(environment: [String: String]) -> URL? {
        if let off = environment["SMALLCHANGES_NOHISTORY"], !off.isEmpty { return nil }
        if let file = environment["SMALLCHANGES_HISTFILE"], !file.isEmpty { return URL(fileURLWithPath: file) }
        return StateFolder.url(environment: environment).appendingPathComponent("history")
    }
}
