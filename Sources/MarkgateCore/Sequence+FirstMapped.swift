extension Sequence {
    /// The first non-nil result of `transform`, calling it once per element up to that one.
    ///
    /// What `lazy.compactMap(transform).first` means, without its cost: on a collection that calls `transform`
    /// twice for the element it returns (once to find `startIndex`, once more in the subscript).
    func firstMapped<T>(_ transform: (Element) throws -> T?) rethrows -> T? {
        for element in self {
            if let mapped = try transform(element) { return mapped }
        }
        return nil
    }
}
