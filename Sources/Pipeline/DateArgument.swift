#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperECS

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

    /// Read without `DateFormatter` or `ISO8601FormatStyle` (both slow to set up on the start
    /// path): the civil-date parser the mapper uses for event times, which takes `Z`, `±HH:MM`
    /// and Mimecast's own `±HHMM`, with or without a fraction (kept to the millisecond).
    static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.utf8.count == 10 { return UTCTimestamp(iso8601: trimmed + "T00:00:00Z")?.date }
        return UTCTimestamp(iso8601: trimmed)?.date
    }
}

extension DateArgument {
    /// Renders a date the way `parseEnd` reads it back.
    public static func iso(_ date: Date) -> String { Timestamp.iso8601(date) }
}
