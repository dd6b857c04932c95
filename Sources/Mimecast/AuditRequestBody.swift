import ShipperCore

/// The JSON body of one `get-audit-events` call. Pure, so what the reader asks for is unit-tested.
///
/// The window stays the same for every page of a slice; only `pageToken` changes.
struct AuditRequestBody: Sendable, Equatable {
    static let path = "/api/audit/get-audit-events"

    var window: TimeWindow
    var categories: [String]
    var pageSize: Int
    var pageToken: String?

    func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("meta")
        writer.beginObject()
        writer.key("pagination")
        writer.beginObject()
        writer.key("pageSize")
        writer.number(pageSize)
        if let pageToken {
            writer.member("pageToken", pageToken)
        }
        writer.endObject()
        writer.endObject()
        writer.key("data")
        writer.beginArray()
        writer.beginObject()
        writer.member("startDateTime", MimecastDateFormat.bodyDate(window.start))
        writer.member("endDateTime", MimecastDateFormat.bodyDate(window.end))
        if !categories.isEmpty {
            writer.key("categories")
            writer.beginArray()
            for category in categories {
                writer.string(category)
            }
            writer.endArray()
        }
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
