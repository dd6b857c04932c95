import Foundation
import ShipperCore
import ShipperTestSupport
@testable import ShipperECS

/// Helpers shared by the ECS tests: building raw events and reading mapped documents.
enum ECSTestSupport {
    static let readAt = Date(timeIntervalSince1970: 1_714_700_000) // 2024-05-03T01:33:20Z

    /// A raw event with the members Mimecast sends; nil members are left out.
    static func event(id: String? = "eNqEVENT", auditType: String? = "Logon Authentication", user: String? = "ana.lopez@example.org",
                      eventTime: String? = "2024-05-02T09:14:07+0000", eventInfo: String?, category: String? = "authentication_logs") -> RawAuditEvent {
        var members: [String: JSONValue] = [:]
        if let id { members["id"] = .string(id) }
        if let auditType { members["auditType"] = .string(auditType) }
        if let user { members["user"] = .string(user) }
        if let eventTime { members["eventTime"] = .string(eventTime) }
        if let eventInfo { members["eventInfo"] = .string(eventInfo) }
        if let category { members["category"] = .string(category) }
        return RawAuditEvent(bytes: JSONValue.object(members).serialized(sortedKeys: true))
    }

    static func map(_ event: RawAuditEvent, options: ECSMappingOptions = .init()) -> (MappedDocument, JSONValue) {
        let document = ECSMapper(options: options).map(event, readAt: readAt)
        let parsed = (try? JSONValue.parse(document.source)) ?? .string("UNPARSEABLE OUTPUT: \(String(decoding: document.source, as: UTF8.self))")
        return (document, parsed)
    }

    /// The value at a dotted path of a nested document.
    static func value(_ document: JSONValue, _ path: String) -> JSONValue? {
        var current: JSONValue? = document
        for component in path.split(separator: ".") { current = current?[String(component)] }
        return current
    }

    static func string(_ document: JSONValue, _ path: String) -> String? { value(document, path)?.stringValue }

    static func strings(_ document: JSONValue, _ path: String) -> [String]? {
        value(document, path)?.arrayValue?.compactMap(\.stringValue)
    }

    /// The scalar string members of the object at `path` (nested objects left out).
    static func scalarMembers(_ document: JSONValue, _ path: String) -> [String: String] {
        (value(document, path)?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    static var samplesURL: URL {
        RepositoryRoot.file("samples/mimecast-audit-sample.ndjson")
    }

    /// Every event in the committed sample (API pages, one per line; events under `data`), as the
    /// exact bytes Mimecast sent.
    /// `meta.pagination.totalCount` of the sample's first page: how many events the sample holds.
    static func sampleTotalCount() throws -> Int? {
        let text = try String(contentsOf: samplesURL, encoding: .utf8)
        guard let first = text.split(separator: "\n").first else { return nil }
        return try JSONValue.parse(Array(first.utf8))["meta"]?["pagination"]?["totalCount"]?.intValue
    }

    static func sampleEvents() throws -> [RawAuditEvent] {
        let text = try String(contentsOf: samplesURL, encoding: .utf8)
        var events: [RawAuditEvent] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let bytes = Array(line.utf8)
            for range in try JSONRawElements.ranges(ofArrayMember: "data", in: bytes) ?? [] {
                events.append(RawAuditEvent(bytes: Array(bytes[range])))
            }
        }
        return events
    }
}
