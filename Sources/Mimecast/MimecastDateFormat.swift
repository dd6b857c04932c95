#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// The two date renderings Mimecast expects, computed from UTC calendar fields rather than with a
/// `DateFormatter`, so they never depend on the machine's locale or time zone.
public enum MimecastDateFormat {
    /// The `x-mc-date` header: RFC 1123 with a `UTC` zone, e.g. `Thu, 02 May 2024 09:14:07 UTC`.
    public static func headerDate(_ date: Date) -> String {
        let parts = UTCCalendar.gregorian.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekday = UTCCalendar.weekdayAbbreviations[(parts.weekday ?? 1) - 1]
        let month = UTCCalendar.monthAbbreviations[(parts.month ?? 1) - 1]
        return "\(weekday), \(pad(parts.day, 2)) \(month) \(pad(parts.year, 4)) \(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)) UTC"
    }

    /// Request body date-times: `yyyy-MM-dd'T'HH:mm:ss+0000`, the form Mimecast itself writes.
    public static func bodyDate(_ date: Date) -> String {
        let parts = UTCCalendar.gregorian.dateComponents([.day, .month, .year, .hour, .minute, .second], from: date)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))+0000"
    }

    private static func pad(_ value: Int?, _ width: Int) -> String {
        let text = String(value ?? 0)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
