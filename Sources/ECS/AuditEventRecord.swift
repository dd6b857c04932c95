import ShipperCore

/// The structured members of one Mimecast audit event, read leniently: a member that is missing,
/// empty or of an unexpected JSON type is simply nil (numbers are accepted where text is expected).
struct AuditEventRecord: Sendable {
    var id: String?
    /// `id` was a JSON number: `12345` and `"12345"` are different events and get different `_id`s.
    var idIsNumber = false
    var auditType: String?
    var user: String?
    var eventTime: String?
    var eventInfo: String?
    var category: String?

    init(_ members: [String: JSONValue]) {
        id = Self.text(members["id"])
        if case .number? = members["id"] { idIsNumber = true }
        auditType = Self.text(members["auditType"])
        user = Self.text(members["user"])
        eventTime = Self.text(members["eventTime"])
        eventInfo = Self.text(members["eventInfo"])
        category = Self.text(members["category"])
    }

    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .number(let number):
            if let integral = JSONValue.number(number).intValue { return String(integral) }
            return String(number)
        default: return nil
        }
    }
}

/// Why an event became a pipeline-error document; the text goes to `error.message`.
enum MappingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidJSON(String)
    case notAnObject
    case missingEventTime
    case invalidEventTime(String)

    var description: String {
        switch self {
        case .invalidJSON(let reason):
            "audit event is not valid JSON (\(reason)); it is kept in event.original"
        case .notAnObject:
            "audit event is not a JSON object; it is kept in event.original"
        case .missingEventTime:
            "audit event has no eventTime; it is kept in event.original"
        case .invalidEventTime(let value):
            "audit event eventTime \"\(value.prefix(64))\" is not an ISO 8601 date-time with a UTC offset; it is kept in event.original"
        }
    }
}
