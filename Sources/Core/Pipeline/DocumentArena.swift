/// Memory that many documents' bytes are written into, one after another, and that lives as
/// long as any of them.
///
/// A document's JSON is a kilobyte or more, past the sizes glibc's per-thread cache serves, so
/// an array per document took malloc's slow path (its bins, and the merging of free neighbours
/// on free) for every event: the largest allocation cost the pipeline had. Documents written
/// here cost a reference to the arena instead, and the arena is one allocation per couple of
/// hundred documents. Each document's bytes are written once, before the document exists, and
/// never again: that is what makes sharing the memory between threads safe.
public final class DocumentArena: @unchecked Sendable {
    /// What an arena holds unless a single document needs more: room for a few hundred.
    public static let standardCapacity = 256 * 1024

    private let base: UnsafeMutablePointer<UInt8>
    public let capacity: Int
    /// Bytes handed out so far. Only the task that writes documents here changes it, before
    /// handing the arena on with them; the dynamic exclusivity check would cost a lookup per
    /// document.
    @exclusivity(unchecked) public private(set) var used = 0

    public init(capacity: Int = DocumentArena.standardCapacity) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// Lets `write` put at most `maximum` bytes after those already handed out, and gives where
    /// they lie; nil (and nothing written) when the arena has no room for `maximum`.
    public func append(atMost maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) -> Range<Int>? {
        guard maximum <= capacity &- used else { return nil }
        let start = used
        let written = write(base + start)
        precondition(written >= 0 && written <= maximum, "a document overran the room it asked for")
        used = start &+ written
        return start..<used
    }

    /// The bytes at `range` (as `append` gave it), lent to `body`. Checked against the capacity,
    /// not `used`: a sink reads its documents while the session may be writing later ones here.
    @inlinable
    public func withBytes<Result>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        precondition(range.lowerBound >= 0 && range.upperBound <= capacity, "a range outside this arena")
        return try body(UnsafeBufferPointer(start: start + range.lowerBound, count: range.count))
    }

    /// The arena's first byte, for `withBytes`.
    @usableFromInline var start: UnsafePointer<UInt8> { UnsafePointer(base) }
}
