#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A half-open interval of event time, `[start, end)`. Windows are what the job reads, what the
/// source slices and what the checkpoint records, so all three agree on one definition of "inside".
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public var isEmpty: Bool { end <= start }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    /// Consecutive slices of at most `length` that cover the window exactly, oldest first.
    public func slices(of length: TimeInterval) -> [TimeWindow] {
        guard !isEmpty else { return [] }
        guard length > 0 else { return [self] }
        var slices: [TimeWindow] = []
        var cursor = start
        while cursor < end {
            let next = min(cursor.addingTimeInterval(length), end)
            slices.append(TimeWindow(start: cursor, end: next))
            cursor = next
        }
        return slices
    }

    public var description: String {
        "[\(Timestamp.iso8601(start)), \(Timestamp.iso8601(end)))"
    }
}

/// UTC ISO 8601 rendering used in logs, summaries and checkpoints.
public enum Timestamp {
    public static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
