#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One ECS document ready for Elasticsearch: the mapper's output and the sink's input.
public struct MappedDocument: Sendable, Equatable {
    /// The deterministic Elasticsearch `_id`; the same event always gets the same id, which is what
    /// makes re-reading an overlap or retrying a batch free of duplicates. Made on each use for a
    /// mapped document, whose id lies in its arena: the bulk body and the job read it there
    /// (`withIDBytes`), and a string per event cost an allocation and its UTF-8 check.
    public var id: String {
        storedID ?? arena.withBytes(idRange) { String(decoding: $0, as: UTF8.self) }
    }
    /// The id when it was given as a string (documents not from a mapping session, and renamed
    /// ones); nil when it lies in the arena at `idRange`.
    @usableFromInline let storedID: String?
    @usableFromInline let idRange: Range<Int>
    /// Where the document's bytes are: a stretch of an arena the mapper wrote many documents into
    /// (`DocumentArena` says why), or an arena of their own for a document made from an array.
    @usableFromInline let arena: DocumentArena
    @usableFromInline let range: Range<Int>
    /// True when the event could not be mapped and this is an `event.kind: pipeline_error` document.
    public let isPipelineError: Bool
    /// The event's own time (`eventTime`), nil when unknown. The job compares it with the
    /// checkpoint to tell documents that may already be stored from those that cannot be.
    public let eventTime: Date?
    /// True when an earlier run (or attempt) may already have stored this `_id`, possibly in an
    /// older backing index where `create` cannot see it: the sink looks it up before writing.
    public var mayExist: Bool

    /// A document of `source`'s bytes, copied into an arena of their own.
    public init(id: String, source: [UInt8], isPipelineError: Bool = false, eventTime: Date? = nil, mayExist: Bool = false) {
        let arena = DocumentArena(capacity: source.count)
        let range = arena.append(atMost: source.count) { out in
            source.withUnsafeBufferPointer { bytes in
                if let base = bytes.baseAddress { out.initialize(from: base, count: bytes.count) }
                return bytes.count
            }
        }
        guard let range else { preconditionFailure("an arena sized for a document had no room for it") }
        self.init(id: id, arena: arena, range: range, isPipelineError: isPipelineError, eventTime: eventTime, mayExist: mayExist)
    }

    /// A document whose bytes lie at `range` in `arena` (as `DocumentArena.append` gave it).
    public init(id: String, arena: DocumentArena, range: Range<Int>, isPipelineError: Bool = false, eventTime: Date? = nil,
                mayExist: Bool = false) {
        self.init(storedID: id, idRange: 0..<0, arena: arena, range: range, isPipelineError: isPipelineError,
                  eventTime: eventTime, mayExist: mayExist)
    }

    /// A document whose id lies at `idRange` in `arena` and its bytes at `range`. The id is
    /// base64url (letters, digits, `-` and `_`, as `DocumentID` makes every id): JSON text with
    /// nothing to escape, which the bulk body copies as it is (`idIsPlain`).
    public init(idRange: Range<Int>, arena: DocumentArena, range: Range<Int>, isPipelineError: Bool = false, eventTime: Date? = nil,
                mayExist: Bool = false) {
        self.init(storedID: nil, idRange: idRange, arena: arena, range: range, isPipelineError: isPipelineError,
                  eventTime: eventTime, mayExist: mayExist)
    }

    private init(storedID: String?, idRange: Range<Int>, arena: DocumentArena, range: Range<Int>, isPipelineError: Bool,
                 eventTime: Date?, mayExist: Bool) {
        self.storedID = storedID
        self.idRange = idRange
        assert(storedID != nil || arena.withBytes(idRange) { $0.allSatisfy(Self.isBase64URL) }, "an id in an arena that is not base64url")
        self.arena = arena
        self.range = range
        self.isPipelineError = isPipelineError
        self.eventTime = eventTime
        self.mayExist = mayExist
    }

    /// The document as serialized JSON (one line, no trailing newline), copied out; the bulk body
    /// reads it in place through `withSource`.
    public var source: [UInt8] {
        withSource { Array($0) }
    }

    /// The length of `source`.
    public var sourceCount: Int { range.count }

    /// The document's bytes where they lie, lent to `body`.
    @inlinable
    public func withSource<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try arena.withBytes(range, body)
    }

    /// Whether the id is ASCII with nothing to escape in JSON (true for an id in the arena).
    @inlinable
    public var idIsPlain: Bool { storedID == nil }

    /// The id's UTF-8 where it lies, lent to `body`.
    @inlinable
    public func withIDBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let storedID { return try storedID.withContiguousUTF8(body) }
        return try arena.withBytes(idRange, body)
    }

    /// The same document under another `_id`.
    public func withID(_ newID: String) -> MappedDocument {
        MappedDocument(storedID: newID, idRange: 0..<0, arena: arena, range: range, isPipelineError: isPipelineError,
                       eventTime: eventTime, mayExist: mayExist)
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }

    /// Equal when every property is, the id and the bytes compared wherever each document holds them.
    public static func == (lhs: MappedDocument, rhs: MappedDocument) -> Bool {
        lhs.isPipelineError == rhs.isPipelineError && lhs.eventTime == rhs.eventTime && lhs.mayExist == rhs.mayExist
            && lhs.withIDBytes { left in rhs.withIDBytes { right in left.elementsEqual(right) } }
            && lhs.withSource { left in rhs.withSource { right in left.elementsEqual(right) } }
    }
}

/// What happened to a set of documents handed to a sink. Every document is in exactly one of
/// `indexed`, `duplicates` or `deadLettered` once the call returns: that is what "settled" means.
public struct ShipReport: Sendable, Equatable {
    public var indexed = 0
    /// Already stored: answered 409 by `create`, or found by the existence check and not sent.
    public var duplicates = 0
    public var deadLettered = 0
    /// Item or request retries performed on the way.
    public var retries = 0
    public var bulkRequests = 0
    public var bytesUncompressed = 0
    public var bytesSent = 0

    public init() {}

    public var settled: Int { indexed + duplicates + deadLettered }

    public static func + (lhs: ShipReport, rhs: ShipReport) -> ShipReport {
        var sum = lhs
        sum.indexed += rhs.indexed
        sum.duplicates += rhs.duplicates
        sum.deadLettered += rhs.deadLettered
        sum.retries += rhs.retries
        sum.bulkRequests += rhs.bulkRequests
        sum.bytesUncompressed += rhs.bytesUncompressed
        sum.bytesSent += rhs.bytesSent
        return sum
    }

    public static func += (lhs: inout ShipReport, rhs: ShipReport) { lhs = lhs + rhs }
}

/// Where mapped documents go.
///
/// `ship` returns only when every document it was given is settled (stored, already present, or
/// written to the dead-letter file); otherwise it throws and the caller must treat all of them as
/// unshipped. This contract is what lets the job advance its checkpoint safely.
public protocol DocumentSink: Sendable {
    func ship(_ documents: [MappedDocument]) async throws -> ShipReport
}
