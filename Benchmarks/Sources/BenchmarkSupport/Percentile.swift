extension Array where Element == Double {
    /// The value at `quantile` (0...1) of these values, which must be sorted; 0 when there are none.
    public func percentile(_ quantile: Double) -> Double {
        guard !isEmpty else { return 0 }
        return self[Swift.min(count - 1, Int(quantile * Double(count)))]
    }
}
