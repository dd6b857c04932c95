#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Maps one raw Mimecast audit event to one ECS document and its `_id`.
///
/// Pure and total so the pipeline can run it on millions of events without a failure path:
/// anything it cannot map becomes an `event.kind: pipeline_error` document that still carries the
/// raw event, so nothing is silently dropped. Each event is parsed once and written once.
public struct ECSMapper: Sendable {
    public let options: ECSMappingOptions
    /// The values every document repeats, quoted once.
    private let fixed: FixedValues
    /// What the copies of this mapper carry from one event to the next, behind locks.
    private let shared = SharedMappingMemory()

    public init(options: ECSMappingOptions = .init()) {
        self.options = options
        fixed = FixedValues(namespace: options.namespace)
    }

    /// Never throws, never drops: unmappable input becomes an event.kind pipeline_error document.
    public func map(_ event: RawAuditEvent, readAt: Date) -> MappedDocument {
        map(event, readAt: readAt, memory: shared)
    }

    /// A mapping for one task at a time (a pass of the job), whose memory between events takes
    /// no lock: the shared one took four per event, each lock and unlock an atomic operation.
    public func session() -> ECSMappingSession {
        ECSMappingSession(mapper: self)
    }

    func map<Memory: MappingMemory>(_ event: RawAuditEvent, readAt: Date, memory: Memory) -> MappedDocument {
        // One validating scan of the event's top level (or none, when the page's scan found its
        // members); no tree of it is built.
        let record = AuditEventRecord(reading: event.storage, at: event.range, members: event.members)
        if record.isObject { return map(event, record: record, readAt: readAt, memory: memory) }
        // Not an object the scan accepts: the full parser says why.
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(event.bytes)
        } catch {
            return pipelineError(event, readAt: readAt, failure: .invalidJSON(error.description),
                                 id: DocumentID.forContent(event.bytes), record: nil, memory: memory)
        }
        guard case .object(let members) = parsed else {
            return pipelineError(event, readAt: readAt, failure: .notAnObject, id: DocumentID.forContent(event.bytes), record: nil,
                                 memory: memory)
        }
        return map(event, record: AuditEventRecord(members, bytes: event.bytes), readAt: readAt, memory: memory)
    }

    private func map<Memory: MappingMemory>(_ event: RawAuditEvent, record: AuditEventRecord, readAt: Date,
                                            memory: Memory) -> MappedDocument {
        // Members are read where they lie, borrowed: a slice of the event's bytes for each was a
        // retain and a release.
        // The id's digest; the id itself is written next to the document, or made a string only
        // where a string is kept.
        let digest = record.id.map { id in record.withText(id) { DocumentID.digest(forMimecastID: $0, numeric: record.idIsNumber) } }
        func id() -> String {
            digest.map { $0.withUnsafeBytes(DocumentID.base64URL) } ?? DocumentID.forContent(Self.canonical(event.bytes))
        }
        guard let eventTime = record.eventTime else {
            return pipelineError(event, readAt: readAt, failure: .missingEventTime, id: id(), record: record, memory: memory)
        }
        guard let timestamp = record.withText(eventTime, UTCTimestamp.init(iso8601:)) else {
            return pipelineError(event, readAt: readAt, failure: .invalidEventTime(record.string(eventTime) ?? ""), id: id(),
                                 record: record, memory: memory)
        }
        var document = ECSDocument(eventBytes: event.count, reusing: memory.takeStorage())
        let classification = memory.classification(of: record)
        writeCommon(to: &document, created: memory.quotedReadTime(readAt))
        writeIdentity(to: &document, record: record, action: classification.action)
        document.set(.timestamp, timestamp)
        document.set(.eventKind, json: fixed.kindEvent)
        if options.includeOriginal { event.withBytes { document.setOriginal($0) } }
        // Parsed into a plain value (not an optional mapped and defaulted): each copy of an
        // `EventInfo` retains and releases every string and list it holds.
        let info = EventInfoParser.parse(eventInfoOf: record)
        EventFieldMapping.write(record, info: info, classification: classification, to: &document)
        // The id, then the document, one after the other in the arena.
        let idLength = digest == nil ? 0 : DocumentID.length
        let placed = memory.placeDocument(atMost: idLength + document.serializedBound) { out in
            if let digest { precondition(DocumentID.write(digest, to: out) == idLength) }
            return idLength + document.serialize(to: out + idLength)
        }
        let mapped = if let placed {
            digest == nil
                ? MappedDocument(id: id(), arena: placed.arena, range: placed.range, isPipelineError: false, eventTime: timestamp.date)
                : MappedDocument(idRange: placed.range.lowerBound..<(placed.range.lowerBound + idLength), arena: placed.arena,
                                 range: (placed.range.lowerBound + idLength)..<placed.range.upperBound, isPipelineError: false,
                                 eventTime: timestamp.date)
        } else {
            MappedDocument(id: id(), source: document.serialized(), isPipelineError: false, eventTime: timestamp.date)
        }
        memory.keep(document.storage())
        return mapped
    }

    /// The event as canonical JSON (sorted keys): what an event without an `id` is identified by.
    private static func canonical(_ bytes: [UInt8]) -> [UInt8] {
        (try? JSONValue.parse(bytes))?.serialized(sortedKeys: true) ?? bytes
    }

    private func pipelineError<Memory: MappingMemory>(_ event: RawAuditEvent, readAt: Date, failure: MappingFailure, id: String,
                                                      record: AuditEventRecord?, memory: Memory) -> MappedDocument {
        var document = ECSDocument(eventBytes: event.count)
        writeCommon(to: &document, created: memory.quotedReadTime(readAt))
        if let record { writeIdentity(to: &document, record: record, action: memory.classification(of: record).action) }
        document.set(.timestamp, UTCTimestamp(readAt))
        document.set(.eventKind, json: fixed.kindPipelineError)
        event.withBytes { document.setOriginal($0) }
        document.set(.errorMessage, failure.description)
        return MappedDocument(id: id, source: document.serialized(), isPipelineError: true)
    }

    /// Fields every document has, mapped or not.
    private func writeCommon(to document: inout ECSDocument, created: [UInt8]) {
        document.set(.ecsVersion, json: fixed.ecsVersion)
        document.set(.eventCreated, json: created)
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
