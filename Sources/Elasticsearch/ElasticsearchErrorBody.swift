import ShipperCore

/// Turns Elasticsearch's error body (`{"error":{"type":…,"reason":…},"status":…}`) into a short
/// `type: reason` for messages, falling back to the start of the raw text.
enum ElasticsearchErrorBody {
    static let maxLength = 300

    static func summary(_ body: [UInt8]) -> String {
        if let parsed = try? JSONValue.parse(body), let error = parsed["error"] {
            if let text = error.stringValue { return clip(text) }
            let type = error["type"]?.stringValue
            let reason = error["reason"]?.stringValue
            switch (type, reason) {
            case (let type?, let reason?): return clip("\(type): \(reason)")
            case (let type?, nil): return clip(type)
            case (nil, let reason?): return clip(reason)
            case (nil, nil): break
            }
        }
        let text = String(decoding: body.prefix(maxLength * 2), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.isEmpty ? "empty body" : clip(text)
    }

    static func clip(_ text: String) -> String {
        text.count <= maxLength ? text : String(text.prefix(maxLength)) + "…"
    }
}
