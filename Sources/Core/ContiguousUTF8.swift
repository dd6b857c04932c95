extension String {
    /// Calls `body` with the string's UTF-8 where it lies. `withUTF8` needs a `var` because it may
    /// first make a bridged string native, and copying a parameter into a `var` costs an atomic
    /// retain and release per call: for the short values the mapper writes a dozen times per
    /// event, that was most of their cost. Native strings (every string this program makes) are
    /// read in place; any other is copied and made native as `withUTF8` would.
    @inlinable
    public func withContiguousUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var native = self
        return try native.withUTF8(body)
    }
}
