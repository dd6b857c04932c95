#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import Synchronization

/// What mapping one event leaves for the next: the page's read time already rendered, the last
/// document's buffers to write the next one into, and the rendered classification of each
/// `auditType` and `category` pair. The mapper reads it through this protocol, specialised, so
/// the same mapping code runs over the locked memory its copies share and over a session's own.
protocol MappingMemory {
    /// `event.created` for a page read at `date`, as a JSON string.
    func quotedReadTime(_ date: Date) -> [UInt8]
    /// The buffers of an earlier document, if one was kept.
    func takeStorage() -> ECSDocument.Storage?
    /// Keeps a mapped document's buffers for the next one (unless they grew unusually large).
    func keep(_ storage: consuming ECSDocument.Storage)
    func classification(of record: AuditEventRecord) -> ClassificationFields
    /// Room for a document of at most `maximum` bytes that `write` fills (giving the number it
    /// wrote) in an arena, or nil when this memory keeps none and the document needs its own array.
    func placeDocument(atMost maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) -> (arena: DocumentArena, range: Range<Int>)?
}

extension ECSDocument.Storage {
    /// Past this capacity (an unusually large event) a document's buffers are let go, not kept.
    private static let largestKept = 1 << 16

    /// Whether these buffers are worth keeping for the next document.
    var isWorthKeeping: Bool { capacity <= Self.largestKept }
}

/// `event.created` for a page read at `date`: what both memories render once per read time.
private func renderedReadTime(_ date: Date) -> [UInt8] {
    ECSDocument.quoted(UTCTimestamp(date).iso8601)
}

/// The memory the copies of one `ECSMapper` share, each part behind its own lock: the copies may
/// map on several tasks at once.
final class SharedMappingMemory: MappingMemory, Sendable {
    private let created = Mutex<(date: Date, json: [UInt8])?>(nil)
    /// One spare is enough for a mapper used by one task at a time; a second task that finds
    /// none allocates.
    private let spare = Mutex<ECSDocument.Storage?>(nil)
    private let classifications = ClassificationCache()

    func quotedReadTime(_ date: Date) -> [UInt8] {
        if let hit = created.withLock({ $0 }), hit.date == date { return hit.json }
        let json = renderedReadTime(date)
        created.withLock { $0 = (date, json) }
        return json
    }

    func takeStorage() -> ECSDocument.Storage? {
        spare.withLock { $0.take() }
    }

    func keep(_ storage: consuming ECSDocument.Storage) {
        guard storage.isWorthKeeping else { return }
        spare.withLock { $0 = storage }
    }

    func classification(of record: AuditEventRecord) -> ClassificationFields {
        classifications.fields(of: record)
    }

    /// None: an arena written by several tasks at once would need a lock per document.
    func placeDocument(atMost maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) -> (arena: DocumentArena, range: Range<Int>)? {
        nil
    }
}

/// A mapping used by one task at a time (a pass of the job): the same mapping as its
/// `ECSMapper`'s, with a memory of its own that takes no locks. Not `Sendable`, on purpose.
public final class ECSMappingSession: MappingMemory, ClassificationStore {
    private let mapper: ECSMapper
    private var created: (date: Date, json: [UInt8])?
    private var spare: ECSDocument.Storage?
    /// Where this session's documents are written, held by a reference counted by hand: a call
    /// on a class property retained and released it around the call, once per document.
    /// Unchecked for the reason `classifications` is.
    @exclusivity(unchecked) private var arena = Unmanaged.passRetained(DocumentArena(capacity: 0))
    /// Unchecked: a session is used by one task at a time, and no access to the table can begin
    /// while another is under way; the dynamic check cost a lookup of the thread's access set
    /// per event.
    @exclusivity(unchecked) private var classifications = ClassificationPairTable()

    init(mapper: ECSMapper) {
        self.mapper = mapper
    }

    deinit {
        arena.release()
    }

    /// What `ECSMapper.map` gives for the event.
    public func map(_ event: RawAuditEvent, readAt: Date) -> MappedDocument {
        mapper.map(event, readAt: readAt, memory: self)
    }

    func quotedReadTime(_ date: Date) -> [UInt8] {
        if let created, created.date == date { return created.json }
        let json = renderedReadTime(date)
        created = (date, json)
        return json
    }

    func takeStorage() -> ECSDocument.Storage? {
        spare.take()
    }

    /// In the session's current arena, or a new one when it is full (or the document larger
    /// than an arena): the full one lives on as long as its documents.
    func placeDocument(atMost maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) -> (arena: DocumentArena, range: Range<Int>)? {
        if let range = arena._withUnsafeGuaranteedRef({ $0.append(atMost: maximum, write) }) {
            return (arena.takeUnretainedValue(), range)
        }
        let fresh = DocumentArena(capacity: max(DocumentArena.standardCapacity, maximum))
        arena.release()
        arena = Unmanaged.passRetained(fresh)
        guard let range = fresh.append(atMost: maximum, write) else { preconditionFailure("a new arena had no room for its first document") }
        return (fresh, range)
    }

    func keep(_ storage: consuming ECSDocument.Storage) {
        guard storage.isWorthKeeping else { return }
        spare = storage
    }

    func classification(of record: AuditEventRecord) -> ClassificationFields {
        fields(of: record)
    }

    func find<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?) -> ClassificationFields? {
        classifications.find(hash: hash, auditType, category)
    }

    func keep<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?, _ fields: ClassificationFields) {
        classifications.insertIfRoom(hash: hash, auditType, category, fields)
    }
}
