#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// A point in time as whole seconds since the Unix epoch plus milliseconds, with the parsing and
/// rendering the mapper needs.
///
/// Hand-written civil-date arithmetic instead of `DateFormatter`/`ISO8601FormatStyle`: it is
/// exact for every offset form Mimecast writes (`+0000`, `+01:00`, `Z`) and cheap enough to run
/// on millions of events.
public struct UTCTimestamp: Equatable, Sendable {
    var epochSeconds: Int64
    var milliseconds: Int
    /// Whether the source carried a fraction; it is rendered only then, so `…:07+0000` stays `…:07Z`.
    var hasFraction: Bool

    init(epochSeconds: Int64, milliseconds: Int = 0, hasFraction: Bool = false) {
        self.epochSeconds = epochSeconds
        self.milliseconds = milliseconds
        self.hasFraction = hasFraction
    }

    init(_ date: Date) {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let whole = Int64(millis)
        epochSeconds = whole >= 0 ? whole / 1000 : (whole - 999) / 1000
        milliseconds = Int(whole - epochSeconds * 1000)
        hasFraction = true
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HHMM|±HH:MM|±HH)` (a space may replace the `T`).
    /// Nil for anything else, including a missing zone: guessing one would shift the event.
    public init?(iso8601 text: String) {
        guard let parsed = text.withContiguousUTF8({ Self.parse($0[...]) }) else { return nil }
        self = parsed
    }

    /// The same from the text's UTF-8, borrowed where it lies (an event's `eventTime`, not copied out).
    init?(iso8601 utf8: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(utf8[...]) else { return nil }
        self = parsed
    }

    /// Read through a pointer: a cursor over an array slice retained and released the array at
    /// each step.
    private static func parse(_ utf8: Slice<UnsafeBufferPointer<UInt8>>) -> UTCTimestamp? {
        var bytes = utf8
        while let first = bytes.first, first == 0x20 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 { bytes.removeLast() }
        var cursor = DigitCursor(bytes: bytes)
        guard let year = cursor.number(digits: 4), cursor.expect("-"),
              let month = cursor.number(digits: 2), cursor.expect("-"),
              let day = cursor.number(digits: 2), cursor.expect("T") || cursor.expect("t") || cursor.expect(" "),
              let hour = cursor.number(digits: 2), cursor.expect(":"),
              let minute = cursor.number(digits: 2), cursor.expect(":"),
              let second = cursor.number(digits: 2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        var millis = 0
        var fraction = false
        if cursor.expect(".") || cursor.expect(",") {
            var digits = 0
            while let digit = cursor.digit() {
                if digits < 3 { millis = millis * 10 + digit }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millis *= 10 }
            fraction = true
        }
        guard let offsetSeconds = cursor.zoneOffsetSeconds(), cursor.atEnd else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        return UTCTimestamp(epochSeconds: days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds),
                            milliseconds: millis, hasFraction: fraction)
    }

    /// The point in time (to the millisecond).
    public var date: Date {
        Date(timeIntervalSince1970: Double(epochSeconds) + Double(milliseconds) / 1000)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
    var iso8601: String {
        String(unsafeUninitializedCapacity: Self.longestISO8601) { writeISO8601(to: $0.baseAddress!) }
    }

    /// The most bytes `writeISO8601` writes (a year of up to 19 digits).
    static let longestISO8601 = 48

    /// The same text written at `text`, where `longestISO8601` bytes are free; returns its length.
    /// It is ASCII, so it is also its own JSON string content, and is written for every event
    /// straight into the document.
    func writeISO8601(to text: UnsafeMutablePointer<UInt8>) -> Int {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondOfDay = Int(epochSeconds - days * 86_400)
        let (year, month, day) = Self.civilFromDays(days)
        var count = 0
        func put(_ byte: UInt8) {
            text[count] = byte
            count += 1
        }
        func put(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            let value = max(0, value)
            // Years are 1...9999 here; wider values keep all their digits.
            while value >= divisor * 10, divisor < 1_000_000_000_000_000 { divisor *= 10 }
            while divisor > 0 {
                put(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        put(year, width: 4)
        put(UInt8(ascii: "-"))
        put(month, width: 2)
        put(UInt8(ascii: "-"))
        put(day, width: 2)
        put(UInt8(ascii: "T"))
        put(secondOfDay / 3600, width: 2)
        put(UInt8(ascii: ":"))
        put(secondOfDay / 60 % 60, width: 2)
        put(UInt8(ascii: ":"))
        put(secondOfDay % 60, width: 2)
        if hasFraction {
            put(UInt8(ascii: "."))
            put(milliseconds, width: 3)
        }
        put(UInt8(ascii: "Z"))
        return count
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthIndex + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// Reads fixed-width digits and separators from ASCII bytes.
private struct DigitCursor {
    var bytes: Slice<UnsafeBufferPointer<UInt8>>

    var atEnd: Bool { bytes.isEmpty }

    mutating func digit() -> Int? {
        guard let byte = bytes.first, byte >= 0x30, byte <= 0x39 else { return nil }
        bytes.removeFirst()
        return Int(byte - 0x30)
    }

    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func expect(_ character: Unicode.Scalar) -> Bool {
        guard let byte = bytes.first, byte == UInt8(ascii: character) else { return false }
        bytes.removeFirst()
        return true
    }

    /// `Z`, `±HH`, `±HHMM` or `±HH:MM`, as seconds east of UTC.
    mutating func zoneOffsetSeconds() -> Int? {
        if expect("Z") || expect("z") { return 0 }
        let sign: Int
        if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2), hours <= 23 else { return nil }
        var minutes = 0
        if !atEnd {
            _ = expect(":")
            guard let parsed = number(digits: 2), parsed < 60 else { return nil }
            minutes = parsed
        }
        return sign * (hours * 3600 + minutes * 60)
    }
}
