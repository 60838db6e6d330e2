extension Substring {
    /// This text without the leading and trailing scalars `trimmed` picks: the one mechanism behind the trims
    /// that match Foundation's character sets without a trip through `NSString`.
    func trimmingScalars(where trimmed: (Unicode.Scalar) -> Bool) -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !trimmed($0) }),
            let last = scalars.lastIndex(where: { !trimmed($0) })
        else { return self[endIndex...] }
        return Substring(scalars[first...last])
    }
}
