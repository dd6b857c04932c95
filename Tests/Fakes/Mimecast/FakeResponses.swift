import ShipperCore

/// The JSON bodies the fake answers with, in the shapes the real API uses.
enum FakeResponses {
    /// `{"meta": {"status": …}, "data": [], "fail": [{"errors": [{"code", "message", "retryable"}]}]}`.
    static func failure(status: Int, code: String, message: String, retryable: Bool = false) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("meta")
        writer.beginObject()
        writer.key("status")
        writer.number(status)
        writer.endObject()
        writer.key("data")
        writer.beginArray()
        writer.endArray()
        writer.key("fail")
        writer.beginArray()
        writer.beginObject()
        writer.key("errors")
        writer.beginArray()
        writer.beginObject()
        writer.member("code", code)
        writer.member("message", message)
        writer.key("retryable")
        writer.bool(retryable)
        writer.endObject()
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    static func page(events: [FakeAuditEvent], pageSize: Int, totalCount: Int, next: String?) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 256 + events.count * 300)
        writer.beginObject()
        writer.key("meta")
        writer.beginObject()
        writer.key("status")
        writer.number(200)
        writer.key("pagination")
        writer.beginObject()
        writer.key("pageSize")
        writer.number(pageSize)
        writer.key("totalCount")
        writer.number(totalCount)
        if let next {
            writer.member("next", next)
        }
        writer.endObject()
        writer.endObject()
        writer.key("data")
        writer.beginArray()
        for event in events {
            writer.raw(Array(event.json.utf8))
        }
        writer.endArray()
        writer.key("fail")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    static func token(_ value: String, lifetime: Int) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("access_token", value)
        writer.member("token_type", "Bearer")
        writer.key("expires_in")
        writer.number(lifetime)
        writer.endObject()
        return writer.bytes
    }

    /// RFC 6749 error answer of the token endpoint.
    static func oauthError(_ error: String, description: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("error", error)
        writer.member("error_description", description)
        writer.endObject()
        return writer.bytes
    }
}
