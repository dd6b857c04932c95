import ShipperCore

/// A document Elasticsearch refused for good (mapping error, 403, 404…), kept with the reason so
/// nothing is dropped silently and an operator can fix and replay it.
public struct DeadLetter: Sendable, Equatable {
    public var id: String
    public var status: Int
    public var errorType: String?
    public var reason: String?
    public var dataStream: String
    public var document: [UInt8]

    public init(id: String, status: Int, errorType: String?, reason: String?, dataStream: String, document: [UInt8]) {
        self.id = id
        self.status = status
        self.errorType = errorType
        self.reason = reason
        self.dataStream = dataStream
        self.document = document
    }

    /// One NDJSON line: `{"failed_at","data_stream","_id","status","error_type","reason","document"}`.
    /// The document is embedded as JSON when it parses and as a string (`document_text`) when it
    /// does not, so the line stays valid whatever Elasticsearch refused.
    func ndjsonLine(failedAt: String) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: document.count + 256)
        writer.beginObject()
        writer.member("failed_at", failedAt)
        writer.member("data_stream", dataStream)
        writer.member("_id", id)
        writer.key("status")
        writer.number(status)
        writer.key("error_type")
        if let errorType { writer.string(errorType) } else { writer.null() }
        writer.key("reason")
        if let reason { writer.string(reason) } else { writer.null() }
        if let parsed = try? JSONValue.parse(document) {
            writer.key("document")
            if document.contains(UInt8(ascii: "\n")) || document.contains(UInt8(ascii: "\r")) {
                writer.value(parsed)
            } else {
                writer.raw(document)
            }
        } else {
            writer.member("document_text", String(decoding: document, as: UTF8.self))
        }
        writer.endObject()
        return writer.bytes + [UInt8(ascii: "\n")]
    }
}
