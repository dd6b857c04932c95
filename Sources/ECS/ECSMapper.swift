#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import Synchronization

/// Maps one raw Mimecast audit event to one ECS document and its `_id`.
///
/// Pure and total so the pipeline can run it on millions of events without a failure path:
/// anything it cannot map becomes an `event.kind: pipeline_error` document that still carries the
/// raw event, so nothing is silently dropped. Each event is parsed once and written once.
public struct ECSMapper: Sendable {
    public let options: ECSMappingOptions
    /// `event.created` is the time a page was read, the same for all its events: rendered once.
    private let created = RenderedReadTime()
    /// The values every document repeats, quoted once.
    private let fixed: FixedValues
    private let classifications = ClassificationCache()
    private let spareStorage = SpareDocumentStorage()

    public init(options: ECSMappingOptions = .init()) {
        self.options = options
        fixed = FixedValues(namespace: options.namespace)
    }

    /// Never throws, never drops: unmappable input becomes an event.kind pipeline_error document.
    public func map(_ event: RawAuditEvent, readAt: Date) -> MappedDocument {
        // One validating scan of the event's top level (or none, when the page's scan found its
        // members); no tree of it is built.
        let record = AuditEventRecord(reading: event.storage, at: event.range, members: event.members)
        if record.isObject { return map(event, record: record, readAt: readAt) }
        // Not an object the scan accepts: the full parser says why.
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(event.bytes)
        } catch {
            return pipelineError(event, readAt: readAt, failure: .invalidJSON(error.description),
                                 id: DocumentID.forContent(event.bytes), record: nil)
        }
        guard case .object(let members) = parsed else {
            return pipelineError(event, readAt: readAt, failure: .notAnObject, id: DocumentID.forContent(event.bytes), record: nil)
        }
        return map(event, record: AuditEventRecord(members, bytes: event.bytes), readAt: readAt)
    }

    private func map(_ event: RawAuditEvent, record: AuditEventRecord, readAt: Date) -> MappedDocument {
        // Members are read where they lie, borrowed: a slice of the event's bytes for each was a
        // retain and a release.
        let id = record.id.map { id in record.withText(id) { DocumentID.forMimecastID(utf8: $0, numeric: record.idIsNumber) } }
            ?? DocumentID.forContent(Self.canonical(event.bytes))
        guard let eventTime = record.eventTime else {
            return pipelineError(event, readAt: readAt, failure: .missingEventTime, id: id, record: record)
        }
        guard let timestamp = record.withText(eventTime, UTCTimestamp.init(iso8601:)) else {
            return pipelineError(event, readAt: readAt, failure: .invalidEventTime(record.string(eventTime) ?? ""), id: id, record: record)
        }
        var document = ECSDocument(eventBytes: event.count, reusing: spareStorage.take())
        let classification = classifications.fields(of: record)
        writeCommon(to: &document, readAt: readAt)
        writeIdentity(to: &document, record: record, action: classification.action)
        document.set(.timestamp, timestamp)
        document.set(.eventKind, json: fixed.kindEvent)
        if options.includeOriginal { event.withBytes { document.setOriginal($0) } }
        // Parsed into a plain value (not an optional mapped and defaulted): each copy of an
        // `EventInfo` retains and releases every string and list it holds.
        let info = EventInfoParser.parse(eventInfoOf: record)
        EventFieldMapping.write(record, info: info, classification: classification, to: &document)
        let source = document.serialized()
        spareStorage.keep(document.storage())
        return MappedDocument(id: id, source: source, isPipelineError: false, eventTime: timestamp.date)
    }

    /// The event as canonical JSON (sorted keys): what an event without an `id` is identified by.
    private static func canonical(_ bytes: [UInt8]) -> [UInt8] {
        (try? JSONValue.parse(bytes))?.serialized(sortedKeys: true) ?? bytes
    }

    private func pipelineError(_ event: RawAuditEvent, readAt: Date, failure: MappingFailure, id: String,
                               record: AuditEventRecord?) -> MappedDocument {
        var document = ECSDocument(eventBytes: event.count)
        writeCommon(to: &document, readAt: readAt)
        if let record { writeIdentity(to: &document, record: record, action: classifications.fields(of: record).action) }
        document.set(.timestamp, UTCTimestamp(readAt))
        document.set(.eventKind, json: fixed.kindPipelineError)
        event.withBytes { document.setOriginal($0) }
        document.set(.errorMessage, failure.description)
        return MappedDocument(id: id, source: document.serialized(), isPipelineError: true)
    }

    /// Fields every document has, mapped or not.
    private func writeCommon(to document: inout ECSDocument, readAt: Date) {
        document.set(.ecsVersion, json: fixed.ecsVersion)
        document.set(.eventCreated, json: created.quoted(readAt))
        document.set(.eventModule, json: fixed.module)
        document.set(.eventDataset, json: fixed.dataset)
        document.set(.dataStreamType, json: fixed.dataStreamType)
        document.set(.dataStreamDataset, json: fixed.dataset)
        document.set(.dataStreamNamespace, json: fixed.namespace)
    }

    /// What every document with a readable record has. The record is borrowed, not wrapped in an
    /// optional: wrapping copied it, a retain and a release per member it holds.
    private func writeIdentity(to document: inout ECSDocument, record: AuditEventRecord, action: [UInt8]) {
        if let id = record.id { record.withText(id) { document.set(.eventID, utf8: $0, plain: id.isSpan) } }
        document.set(.eventAction, json: action)
    }
}

/// The last read time and its rendering as a JSON string, shared by the copies of one mapper.
private final class RenderedReadTime: Sendable {
    private let last = Mutex<(date: Date, json: [UInt8])?>(nil)

    func quoted(_ date: Date) -> [UInt8] {
        if let hit = last.withLock({ $0 }), hit.date == date { return hit.json }
        let json = ECSDocument.quoted(UTCTimestamp(date).iso8601)
        last.withLock { $0 = (date, json) }
        return json
    }
}

/// The buffers of the last mapped document, shared by the copies of one mapper: one spare is
/// enough for a mapper used by one task at a time, and a second task that finds none allocates.
private final class SpareDocumentStorage: Sendable {
    /// Past this capacity (an unusually large event) the buffers are let go, not kept.
    private static let largestKept = 1 << 16
    private let spare = Mutex<ECSDocument.Storage?>(nil)

    func take() -> ECSDocument.Storage? {
        spare.withLock { $0.take() }
    }

    func keep(_ storage: consuming ECSDocument.Storage) {
        guard storage.capacity <= Self.largestKept else { return }
        spare.withLock { $0 = storage }
    }
}

/// The fixed values of every document as JSON strings (empty for an empty namespace, which is
/// then left out as `set` leaves out empty text).
private struct FixedValues: Sendable {
    let ecsVersion = ECSDocument.quoted(ECSVersion.current)
    let module = ECSDocument.quoted("mimecast")
    let dataset = ECSDocument.quoted("mimecast.audit")
    let dataStreamType = ECSDocument.quoted("logs")
    let kindEvent = ECSDocument.quoted("event")
    let kindPipelineError = ECSDocument.quoted("pipeline_error")
    let namespace: [UInt8]

    init(namespace: String) {
        self.namespace = ECSDocument.quoted(namespace)
    }
}
