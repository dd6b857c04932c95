import Foundation
import ShipperCore

/// Parses the points in time users give `--since` and `--until`: an ISO 8601 date-time with a
/// zone (`2024-05-01T08:00:00Z`, `…+02:00`), a bare date (midnight UTC), or for `--since` a
/// duration back from now (`30d`, `12h`).
public enum DateArgument {
    public static func parseStart(_ text: String, option: String) throws -> WindowPlanner.Start {
        if let date = parseDate(text) { return .date(date) }
        if let duration = DurationParser.parse(text) {
            guard duration > .zero else { throw ConfigurationError("\(option) '\(text)' must be greater than zero") }
            return .ago(duration.secondsDouble)
        }
        throw ConfigurationError("\(option) '\(text)' is neither a date-time (2024-05-01T00:00:00Z), a date (2024-05-01) nor a duration (30d, 12h)")
    }

    public static func parseEnd(_ text: String, option: String) throws -> Date {
        guard let date = parseDate(text) else {
            throw ConfigurationError("\(option) '\(text)' is not a date-time (2024-05-01T00:00:00Z) or a date (2024-05-01)")
        }
        return date
    }

    static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? fractional.parse(trimmed) { return date }
        // Mimecast's own form: numeric offset without a colon.
        let mimecast = DateFormatter()
        mimecast.locale = Locale(identifier: "en_US_POSIX")
        mimecast.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        if let date = mimecast.date(from: trimmed) { return date }
        let dateOnly = DateFormatter()
        dateOnly.locale = Locale(identifier: "en_US_POSIX")
        dateOnly.timeZone = TimeZone(identifier: "UTC")
        dateOnly.dateFormat = "yyyy-MM-dd"
        if trimmed.count == 10, let date = dateOnly.date(from: trimmed) { return date }
        return nil
    }
}

extension DateArgument {
    /// Renders a date the way `parseEnd` reads it back.
    public static func iso(_ date: Date) -> String { Timestamp.iso8601(date) }
}
