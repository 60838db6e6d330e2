/// A problem in a data file (Prompts/ or Corpus/), reported as `FILE:LINE: what is wrong`.
///
/// The program stops at start with this message and exit code 2, so the person who edited the file
/// can go straight to the line.
public struct SourceError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file, as the user would name it (relative to the package root where possible).
    public var file: String
    /// One-based line number; 0 when the problem is the whole file.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
