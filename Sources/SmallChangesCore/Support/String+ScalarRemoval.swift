extension StringProtocol {
    /// This text without the scalars `removed` picks, as `replacingOccurrences(of:with: "")` removes a
    /// one-scalar string, without a trip through Foundation: answers are normalised this way on every turn.
    func removingScalars(where removed: (Unicode.Scalar) -> Bool) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in unicodeScalars where !removed(scalar) { kept.append(scalar) }
        return String(kept)
    }
}
