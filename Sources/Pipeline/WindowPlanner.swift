#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Where a pass starts and ends, computed from the checkpoint and the user's options.
///
/// Pure arithmetic so the rules that decide "no gaps, no duplicates" are unit-tested exactly:
/// the start backs off by `overlap` from the checkpoint (late events land inside it and the
/// deterministic `_id` absorbs the re-read), and the end stays `lag` behind now (Mimecast indexes
/// events a little after they happen).
public struct WindowPlanner: Sendable, Equatable {
    /// Where the first run starts when there is no checkpoint (`--since`).
    public enum Start: Sendable, Equatable {
        case date(Date)
        /// This far back from now.
        case ago(TimeInterval)
    }

    public var overlap: TimeInterval = 600
    public var lag: TimeInterval = 60
    public var firstStart: Start = .ago(86_400)
    /// An explicit end (`--until`); nil means `now - lag`.
    public var until: Date?
    /// How far back the source keeps events (Mimecast: 60 days); nil for replays.
    public var historyLimit: TimeInterval?

    public init(overlap: TimeInterval = 600, lag: TimeInterval = 60, firstStart: Start = .ago(86_400), until: Date? = nil) {
        self.overlap = overlap
        self.lag = lag
        self.firstStart = firstStart
        self.until = until
    }

    /// The window to read, or nil when there is nothing to read yet (end not after start).
    public func window(checkpoint: Date?, now: Date) -> TimeWindow? {
        let end = until ?? now.addingTimeInterval(-lag)
        let start: Date
        if let checkpoint {
            start = checkpoint.addingTimeInterval(-overlap)
        } else {
            switch firstStart {
            case .date(let date): start = date
            case .ago(let interval): start = now.addingTimeInterval(-interval)
            }
        }
        let window = TimeWindow(start: start, end: end)
        return window.isEmpty ? nil : window
    }

    /// The part of `window` the source still holds, when the window starts before its history
    /// limit; nil when the window is within it. The result may be empty (nothing left to read).
    public func limitedToHistory(_ window: TimeWindow, now: Date) -> TimeWindow? {
        guard let historyLimit else { return nil }
        let earliest = now.addingTimeInterval(-historyLimit)
        guard window.start < earliest else { return nil }
        return TimeWindow(start: min(earliest, window.end), end: window.end)
    }

    /// The checkpoint to record once everything up to `settledEnd` is in Elasticsearch. Never moves
    /// backwards: re-reading an overlap must not rewind the position.
    public static func advance(_ checkpoint: Date?, to settledEnd: Date) -> Date {
        guard let checkpoint else { return settledEnd }
        return max(checkpoint, settledEnd)
    }
}
