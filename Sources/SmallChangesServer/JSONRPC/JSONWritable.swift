/// A result that writes itself with ``JSONWriter``, for the responses sent on every turn.
///
/// Its bytes must equal what `JSONEncoder` makes of the same value (sorted keys, slashes unescaped):
/// the hand-written path is only faster, never different.
protocol JSONWritable {
    /// Writes the value; returns false when it holds something written only by `JSONEncoder` (a
    /// non-finite number, a date), and the caller then encodes it that way instead.
    func write(to writer: inout JSONWriter) -> Bool
}
