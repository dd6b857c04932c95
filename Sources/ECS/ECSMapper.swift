import Foundation
import ShipperCore

/// Maps one raw Mimecast audit event to one ECS document and its `_id`.
///
/// Pure and total so the pipeline can run it on millions of events without a failure path:
/// anything it cannot map becomes an `event.kind: pipeline_error` document that still carries the
/// raw event, so nothing is silently dropped. Each event is parsed once and written once.
public struct ECSMapper: Sendable {
    public let options: ECSMappingOptions

    public init(options: ECSMappingOptions = .init()) {
        self.options = options
    }

    /// Never throws, never drops: unmappable input becomes an event.kind pipeline_error document.
    public func map(_ event: RawAuditEvent, readAt: Date) -> MappedDocument {
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
        let record = AuditEventRecord(members)
        let id = record.id.map { DocumentID.forMimecastID($0, numeric: record.idIsNumber) }
            ?? DocumentID.forContent(parsed.serialized(sortedKeys: true))
        guard let eventTime = record.eventTime else {
            return pipelineError(event, readAt: readAt, failure: .missingEventTime, id: id, record: record)
        }
        guard let timestamp = UTCTimestamp(iso8601: eventTime) else {
            return pipelineError(event, readAt: readAt, failure: .invalidEventTime(eventTime), id: id, record: record)
        }
        var document = ECSDocument()
        writeCommon(to: &document, readAt: readAt, record: record)
        document.set(.timestamp, timestamp.iso8601)
        document.set(.eventKind, "event")
        if options.includeOriginal { document.set(.eventOriginal, String(decoding: event.bytes, as: UTF8.self)) }
        EventFieldMapping.write(record, info: record.eventInfo.map(EventInfoParser.parse), to: &document)
        let eventDate = Date(timeIntervalSince1970: Double(timestamp.epochSeconds) + Double(timestamp.milliseconds) / 1000)
        return MappedDocument(id: id, source: document.serialized(), isPipelineError: false, eventTime: eventDate)
    }

    private func pipelineError(_ event: RawAuditEvent, readAt: Date, failure: MappingFailure, id: String,
                               record: AuditEventRecord?) -> MappedDocument {
        var document = ECSDocument()
        writeCommon(to: &document, readAt: readAt, record: record)
        document.set(.timestamp, UTCTimestamp(readAt).iso8601)
        document.set(.eventKind, "pipeline_error")
        document.set(.eventOriginal, String(decoding: event.bytes, as: UTF8.self))
        document.set(.errorMessage, failure.description)
        return MappedDocument(id: id, source: document.serialized(), isPipelineError: true)
    }

    /// Fields every document has, mapped or not.
    private func writeCommon(to document: inout ECSDocument, readAt: Date, record: AuditEventRecord?) {
        document.set(.ecsVersion, ECSVersion.current)
        document.set(.eventCreated, UTCTimestamp(readAt).iso8601)
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
