/// One Mimecast audit event exactly as the API (or a replay file) delivered it.
///
/// Only the raw JSON bytes travel from the source to the mapper: the mapper parses them once and
/// keeps them verbatim in `event.original`, so nothing is lost or reformatted on the way.
public struct RawAuditEvent: Sendable, Equatable {
    public let bytes: [UInt8]
    /// Where the event's top-level members lie, when the reader found them in the validating scan
    /// that cut the event out of its page (so the mapper need not scan it again); nil otherwise.
    public let members: JSONObjectMembers?

    /// `members`, when given, must be what a validating scan found in exactly these bytes.
    public init(bytes: [UInt8], members: JSONObjectMembers? = nil) {
        self.bytes = bytes
        self.members = members
    }

    /// Events are their bytes: the members are only where a scan found them in those bytes.
    public static func == (lhs: RawAuditEvent, rhs: RawAuditEvent) -> Bool {
        lhs.bytes == rhs.bytes
    }

    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// The elements a validating scan found in an array of `document` (a page's `data`), each
    /// copied out with the members the scan recorded for it.
    public static func cut(from document: [UInt8], recording: JSONArrayRecording) -> [RawAuditEvent] {
        recording.elements.indices.map { index in
            RawAuditEvent(bytes: Array(document[recording.elements[index]]), members: recording.members(ofElement: index))
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
