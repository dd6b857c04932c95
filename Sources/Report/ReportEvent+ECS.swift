#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

extension ReportEvent {
    /// The ECS fields read, for `_source` filtering: a report never transfers more than these.
    public static let sourceFields = [
        "@timestamp", "event.action", "event.outcome", "event.category", "event.type", "event.reason",
        "event.kind", "user.email", "user.name", "user.target.email", "user.target.name",
        "source.ip", "source.geo.country_iso_code", "source.geo.country_name",
        "source.as.number", "source.as.organization.name",
        "mimecast.audit_type", "mimecast.category", "mimecast.application",
    ]

    /// Reads an ECS document (nested objects, or dotted keys as some tools write them). Nil for
    /// documents that are not events a review can use: no valid `@timestamp`, no `event.action`,
    /// or an `event.kind: pipeline_error` document.
    public init?(document: JSONValue) {
        let fields = ECSLookup(document)
        guard fields.string("event.kind") != "pipeline_error",
              let time = fields.string("@timestamp").flatMap(ReportTime.parse),
              let action = fields.string("event.action"), !action.isEmpty
        else { return nil }
        let account = fields.string("user.email") ?? fields.string("user.name") ?? ""
        var source: SourceAddress?
        if let ip = fields.string("source.ip"), !ip.isEmpty {
            let country = fields.string("source.geo.country_iso_code") ?? fields.string("source.geo.country_name")
            let number = fields.value("source.as.number").flatMap { value -> String? in
                if let int = value.intValue { return "AS\(int)" }
                return value.stringValue.map { $0.hasPrefix("AS") ? $0 : "AS\($0)" }
            }
            let organisation = fields.string("source.as.organization.name")
            let system = [number, organisation].compactMap { $0 }.joined(separator: " ")
            source = SourceAddress(ip: ip, country: country, autonomousSystem: system.isEmpty ? nil : system)
        }
        var targets = fields.strings("user.target.email")
        if targets.isEmpty { targets = fields.strings("user.target.name") }
        self.init(
            timestamp: time,
            account: account,
            action: action,
            auditType: fields.string("mimecast.audit_type"),
            category: fields.string("mimecast.category"),
            outcome: fields.string("event.outcome"),
            eventCategories: fields.strings("event.category"),
            eventTypes: fields.strings("event.type"),
            source: source,
            application: fields.string("mimecast.application"),
            targets: targets,
            reason: fields.string("event.reason")
        )
    }
}

/// Looks up dotted ECS paths in a document whether it nests objects (`{"user":{"name":…}}`),
/// uses dotted keys (`{"user.name":…}`) or mixes the two.
struct ECSLookup {
    let document: JSONValue

    init(_ document: JSONValue) {
        self.document = document
    }

    func value(_ path: String) -> JSONValue? {
        Self.find(Substring(path), in: document)
    }

    /// The first string of a string or an array of strings.
    func string(_ path: String) -> String? {
        strings(path).first
    }

    func strings(_ path: String) -> [String] {
        switch value(path) {
        case .string(let text): return [text]
        case .array(let items): return items.compactMap(\.stringValue)
        default: return []
        }
    }

    private static func find(_ path: Substring, in value: JSONValue) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        if let whole = members[String(path)] { return whole }
        var cursor = path.startIndex
        while let dot = path[cursor...].firstIndex(of: ".") {
            if let inner = members[String(path[..<dot])], let found = find(path[path.index(after: dot)...], in: inner) {
                return found
            }
            cursor = path.index(after: dot)
        }
        return nil
    }
}

/// RFC 3339 UTC times as the report reads and writes them.
public enum ReportTime {
    /// `2024-05-02T09:14:07Z` (whole seconds: what Mimecast records).
    public static func format(_ date: Date) -> String {
        Timestamp.iso8601(date)
    }

    /// Parses RFC 3339 with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
