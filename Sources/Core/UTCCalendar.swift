#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Calendar fields in UTC with English month and weekday names, for the texts that must not
/// depend on the machine's locale or time zone (Mimecast's request dates, report axis labels).
/// `.gmt` rather than `TimeZone(identifier: "UTC")`: without ICU (the static binary) the latter
/// is nil.
public enum UTCCalendar {
    public static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    public static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    public static let weekdayAbbreviations = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
}
