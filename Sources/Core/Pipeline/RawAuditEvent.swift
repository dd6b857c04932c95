/// One Mimecast audit event exactly as the API (or a replay file) delivered it.
///
/// Only the raw JSON bytes travel from the source to the mapper: the mapper parses them once and
/// keeps them verbatim in `event.original`, so nothing is lost or reformatted on the way.
///
/// An event cut from a page stays in the page's bytes (`storage`, `range`): copied out, each
/// event was an allocation, a copy and a free, per event.
public struct RawAuditEvent: Sendable, Equatable {
    /// The bytes the event lies in: its own, or its whole page's.
    public let storage: [UInt8]
    /// Where the event lies in `storage`.
    public let range: Range<Int>
    /// Where the event's top-level members lie, when the reader found them in the validating scan
    /// that cut the event out of its page (so the mapper need not scan it again); nil otherwise.
    /// Their ranges are of the event's own bytes (`JSONObjectMembers.forEach`).
    public let members: JSONObjectMembers?

    /// `members`, when given, must be what a validating scan found in exactly these bytes.
    public init(bytes: [UInt8], members: JSONObjectMembers? = nil) {
        self.init(in: bytes, at: bytes.indices, members: members)
    }

    /// The event at `range` of `storage` (a page's bytes), left where it lies.
    public init(in storage: [UInt8], at range: Range<Int>, members: JSONObjectMembers? = nil) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "an event's range lies outside its bytes")
        self.storage = storage
        self.range = range
        self.members = members
    }

    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// The event's bytes as an array of their own (a copy when the event lies in a page): for
    /// the uncommon paths (an event the scan refused, tests), not for every event.
    public var bytes: [UInt8] {
        range == storage.indices ? storage : Array(storage[range])
    }

    /// How many bytes the event has.
    public var count: Int { range.count }

    /// Calls `body` with the event's bytes where they lie.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Events are their bytes: where they lie, and the members a scan found, do not count.
    public static func == (lhs: RawAuditEvent, rhs: RawAuditEvent) -> Bool {
        lhs.range.count == rhs.range.count && lhs.storage[lhs.range].elementsEqual(rhs.storage[rhs.range])
    }

    /// The elements a validating scan found in an array of `document` (a page's `data`), each
    /// left in the document with the members the scan recorded for it.
    public static func cut(from document: [UInt8], recording: JSONArrayRecording) -> [RawAuditEvent] {
        recording.elements.indices.map { index in
            RawAuditEvent(in: document, at: recording.elements[index], members: recording.members(ofElement: index))
        }
    }
}

/// One page of events from a source, and where it sits in the read.
///
/// The job moves its checkpoint per slice: only when the last page of a slice is settled in
/// Elasticsearch is `slice.end` safe to record.
public struct AuditEventPage: Sendable {
    public let events: [RawAuditEvent]
    /// The slice this page belongs to.
    public let slice: TimeWindow
    /// True on the final page of `slice` (possibly an empty page).
    public let endsSlice: Bool

    public init(events: [RawAuditEvent], slice: TimeWindow, endsSlice: Bool) {
        self.events = events
        self.slice = slice
        self.endsSlice = endsSlice
    }
}

/// Where raw audit events come from: the Mimecast API or a replay file.
///
/// Pull-based: a page is fetched only when the consumer asks for the next one, so at most one page
/// is in flight and memory stays bounded however long the window is.
public protocol AuditEventSource: Sendable {
    /// Pages covering `[window.start, window.end)`, oldest slice first; `categories` empty means all.
    func pages(in window: TimeWindow, categories: [String]) -> AsyncThrowingStream<AuditEventPage, any Error>
}
