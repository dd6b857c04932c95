/// A piece of UTF-8 text indexed as the buffer it is part of: an `ArraySlice` (tests, and texts
/// read on their own) or a slice of a borrowed buffer (the mapper's `eventInfo`).
///
/// The `eventInfo` readers are written once over this and specialised for both. Over a borrowed
/// buffer, slicing and trimming a text retains nothing: over an `ArraySlice`, every piece cut from
/// the text was a retain and a release of its storage, about fourteen atomic operations an event.
protocol ByteText: RandomAccessCollection where Element == UInt8, Index == Int, Indices == Range<Int>, SubSequence == Self {
    /// Calls `body` with the text's bytes where they lie (offset 0 is `startIndex`).
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result
}

extension ArraySlice: ByteText where Element == UInt8 {
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withUnsafeBufferPointer(body)
    }
}

extension Slice: ByteText where Base == UnsafeBufferPointer<UInt8> {
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(rebasing: self))
    }
}

extension ByteText {
    /// Where the text lies, as `indices` would say, but specialised: `Slice.indices` is not, and
    /// went through the generic metadata cache for every piece cut.
    @inline(__always)
    var range: Range<Int> { startIndex..<endIndex }
}
