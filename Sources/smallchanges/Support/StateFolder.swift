import Foundation

/// The program's state folder: `$XDG_STATE_HOME/smallchanges`, else `~/.local/state/smallchanges`. It keeps
/// what the program remembers between runs that is not a session: the readline history and the trained matcher.
enum StateFolder {
    static func url(environment: [String: String]) -> URL {
        let state: URL
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            state = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory(), isDirectory: true)
                .appendingPathComponent(".local/state", isDirectory: true)
        }
        return state.appendingPathComponent("smallchanges", isDirectory: true)
    }
}
