#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The size of the terminal a descriptor writes to, asked afresh each time so output follows a resize.
struct TerminalSize: Equatable {
    var rows: Int
    var columns: Int

    /// The terminal's size, or `nil` when `descriptor` is not a terminal (output piped or redirected).
    static func of(_ descriptor: Int32) -> TerminalSize? {
        guard isatty(descriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return TerminalSize(rows: Int(size.ws_row), columns: Int(size.ws_col))
    }
}
