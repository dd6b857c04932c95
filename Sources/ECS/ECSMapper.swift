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

    public init(options: ECSMappingOptions = .init()) {
        self.options = options
    }

    /// Never throws, never drops: unmappable input becomes an event.kind pipeline_error document.
    public func map(_ event: RawAuditEvent, readAt: Date) -> MappedDocument {
        // One validating scan of the event's top level; no tree of it is built.
        if let record = AuditEventRecord(scanning: event.bytes) {
            return map(event, record: record, readAt: readAt)
        }
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
        return map(event, record: AuditEventRecord(members), readAt: readAt)
    }

    private func map(_ event: RawAuditEvent, record: AuditEventRecord, readAt: Date) -> MappedDocument {
        let id = record.id.map { DocumentID.forMimecastID($0, numeric: record.idIsNumber) }
            ?? DocumentID.forContent(Self.canonical(event.bytes))
        guard let eventTime = record.eventTime else {
            return pipelineError(event, readAt: readAt, failure: .missingEventTime, id: id, record: record)
        }
        guard let timestamp = UTCTimestamp(iso8601: eventTime) else {
            return pipelineError(event, readAt: readAt, failure: .invalidEventTime(eventTime), id: id, record: record)
        }
        var document = ECSDocument(eventBytes: event.bytes.count)
        writeCommon(to: &document, readAt: readAt, record: record)
        document.set(.timestamp, timestamp.iso8601)
        document.set(.eventKind, "event")
        if options.includeOriginal { document.setOriginal(event.bytes) }
        EventFieldMapping.write(record, info: record.eventInfo.map { EventInfoParser.parse(utf8: $0) }, to: &document)
        let eventDate = Date(timeIntervalSince1970: Double(timestamp.epochSeconds) + Double(timestamp.milliseconds) / 1000)
        return MappedDocument(id: id, source: document.serialized(), isPipelineError: false, eventTime: eventDate)
    }

    /// The event as canonical JSON (sorted keys): what an event without an `id` is identified by.
    private static func canonical(_ bytes: [UInt8]) -> [UInt8] {
        (try? JSONValue.parse(bytes))?.serialized(sortedKeys: true) ?? bytes
    }

    private func pipelineError(_ event: RawAuditEvent, readAt: Date, failure: MappingFailure, id: String,
                               record: AuditEventRecord?) -> MappedDocument {
        var document = ECSDocument(eventBytes: event.bytes.count)
        writeCommon(to: &document, readAt: readAt, record: record)
        document.set(.timestamp, UTCTimestamp(readAt).iso8601)
        document.set(.eventKind, "pipeline_error")
        document.setOriginal(event.bytes)
        document.set(.errorMessage, failure.description)
        return MappedDocument(id: id, source: document.serialized(), isPipelineError: true)
    }

    /// Fields every document has, mapped or not.
    private func writeCommon(to document: inout ECSDocument, readAt: Date, record: AuditEventRecord?) {
        document.set(.ecsVersion, ECSVersion.current)
        document.set(.eventCreated, created.iso8601(readAt))
        document.set(.eventModule, "mimecast")
        document.set(.eventDataset, "mimecast.audit")
        document.set(.dataStreamType, "logs")
        document.set(.dataStreamDataset, "mimecast.audit")
        document.set(.dataStreamNamespace, options.namespace)
        if let record {
            document.set(.eventID, record.id)
            document.set(.eventAction, record.auditType.map(EventFieldMapping.action))
        }
    }
}

/// The last read time and its rendering, shared by the copies of one mapper.
private final class RenderedReadTime: Sendable {
    private let last = Mutex<(date: Date, text: String)?>(nil)

    func iso8601(_ date: Date) -> String {
        if let hit = last.withLock({ $0 }), hit.date == date { return hit.text }
        let text = UTCTimestamp(date).iso8601
        last.withLock { $0 = (date, text) }
        return text
    }
}
