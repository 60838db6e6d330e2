/// A problem with how the program was called or set up, reported on stderr with exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
