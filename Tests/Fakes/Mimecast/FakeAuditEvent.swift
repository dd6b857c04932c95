import Foundation
import ShipperCore

/// One audit event the fake serves. Its JSON is rendered once, so the exact bytes a test expects
/// are the bytes the reader receives.
public struct FakeAuditEvent: Sendable, Equatable {
    public let id: String
    public let eventTime: Date
    public let category: String
    public let json: String

    public init(id: String, eventTime: Date, category: String, auditType: String, user: String, eventInfo: String) {
        self.id = id
        self.eventTime = eventTime
        self.category = category
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("id", id)
        writer.member("auditType", auditType)
        writer.member("user", user)
        writer.member("eventTime", FakeDates.bodyString(eventTime))
        writer.member("eventInfo", eventInfo)
        writer.member("category", category)
        writer.endObject()
        self.json = String(decoding: writer.bytes, as: UTF8.self)
    }

    /// `count` events spread evenly over `window`, cycling through `categories`, with ids that say
    /// their index (`evt-00042`) so tests can check that each arrived exactly once.
    public static func generate(
        count: Int,
        in window: TimeWindow,
        categories: [String] = ["mimecast_access_logs", "authentication_logs", "account_logs"],
        idPrefix: String = "evt"
    ) -> [FakeAuditEvent] {
        let span = window.end.timeIntervalSince(window.start)
        return (0..<count).map { index in
            let offset = (span * Double(index) / Double(max(count, 1))).rounded(.down)
            let category = categories[index % categories.count]
            return FakeAuditEvent(
                id: "\(idPrefix)-\(String(format: "%05d", index))",
                eventTime: window.start.addingTimeInterval(offset),
                category: category,
                auditType: "Logon Authentication",
                user: "user\(index % 17)@example.org",
                eventInfo: "Successful authentication for user\(index % 17)@example.org, IP: 198.51.100.\(index % 250)"
            )
        }
    }
}

/// Date renderings and parsing the fake needs, written separately from the production code so the
/// fake checks the reader rather than agreeing with it by construction.
public enum FakeDates {
    /// `yyyy-MM-dd'T'HH:mm:ss+0000`.
    public static func bodyString(_ date: Date) -> String {
        formatter("yyyy-MM-dd'T'HH:mm:ssZ").string(from: date)
    }

    /// Accepts `+0000` offsets and RFC 3339 `Z`.
    public static func parseBody(_ text: String) -> Date? {
        formatter("yyyy-MM-dd'T'HH:mm:ssZ").date(from: text) ?? formatter("yyyy-MM-dd'T'HH:mm:ssXXX").date(from: text)
    }

    /// `x-mc-date`: `EEE, dd MMM yyyy HH:mm:ss UTC` (or `GMT`).
    public static func parseHeader(_ text: String) -> Date? {
        let suffixes = [" UTC", " GMT"]
        guard let suffix = suffixes.first(where: { text.hasSuffix($0) }) else { return nil }
        return formatter("EEE, dd MMM yyyy HH:mm:ss").date(from: String(text.dropLast(suffix.count)))
    }

    public static func headerString(_ date: Date) -> String {
        formatter("EEE, dd MMM yyyy HH:mm:ss").string(from: date) + " UTC"
    }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
