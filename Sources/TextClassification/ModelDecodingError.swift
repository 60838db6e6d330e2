/// Why stored bytes could not be read back as a trained matcher: damaged, cut short, written by another format
/// version or byte order, or trained with another configuration. Whoever keeps such bytes should drop them and
/// train again.
public struct ModelDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    package init(_ description: String) {
        self.description = description
    }
}
