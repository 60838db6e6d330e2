import Foundation

/// Shows long output through `$PAGER` (`less -FRX` unless set) when it is taller than the screen and stdout
/// is a terminal; piped or short, it is simply printed.
enum Pager {
    static let defaultCommand = "less -FRX"

    /// The shell command to page `lines` lines through, or `nil` to print them.
    ///
    /// - Parameters:
    ///   - screen: the terminal's size; `nil` when stdout is not a terminal, which never pages.
    ///   - environment: `PAGER` chooses the pager; set but empty, or `cat`, it turns paging off, as does
    ///     `TERM=dumb`.
    static func command(lines: Int, screen: TerminalSize?, environment: [String: String]) -> String? {
        guard let screen, screen.rows > 0, environment["TERM"] != "dumb" else { return nil }
        // The prompt that follows needs a line too.
        guard lines >= screen.rows else { return nil }
        guard let chosen = environment["PAGER"] else { return defaultCommand }
        let trimmed = chosen.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// Pages `text` (already wrapped to the screen) or writes it as it is, whichever
    /// ``command(lines:screen:environment:)`` says; a pager that cannot be started falls back to writing.
    static func show(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let body = Data(text.utf8)
        let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } + (text.hasSuffix("\n") || text.isEmpty ? 0 : 1)
        guard let command = command(lines: lines, screen: TerminalSize.of(STDOUT_FILENO), environment: environment)
        else {
            FileHandle.standardOutput.write(body)
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            FileHandle.standardOutput.write(body)
            return
        }
        // Ctrl-C belongs to the pager while it runs (less uses it to stop a search), not to us; and a pager
        // left before it has read everything closes the pipe, which is not an error.
        let restore = [SIGINT, SIGPIPE].map(ignoring)
        defer { restore.forEach { $0() } }
        try? input.fileHandleForWriting.write(contentsOf: body)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Ignores a signal until the returned function is called, which puts back what was there before.
private func ignoring(_ signal: Int32) -> () -> Void {
    var previous = sigaction()
    var ignore = sigaction()
    #if canImport(Glibc)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
    #else
        ignore.__sigaction_u.__sa_handler = SIG_IGN
    #endif
    sigaction(signal, &ignore, &previous)
    return { sigaction(signal, &previous, nil) }
}
