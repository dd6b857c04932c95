#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import Synchronization

/// A source that reads saved events from a file instead of the API, for dry runs, demos and
/// re-ingesting what the seed's script wrote to disk. It yields every event of the file whatever
/// window is asked for, as pages of `pageSize`, all in one slice equal to the requested window.
public struct ReplayReader: AuditEventSource {
    public let name: String
    public var pageSize: Int
    private let contents: [UInt8]

    public init(path: String, pageSize: Int = 500) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReplayError.unreadable(path: path)
        }
        self.init(contents: Array(data), name: path, pageSize: pageSize)
    }

    public init(contents: [UInt8], name: String, pageSize: Int = 500) {
        self.contents = contents
        self.name = name
        self.pageSize = pageSize
    }

    /// Every event of the file, in file order; throws for a line that is not a JSON object.
    public func events() throws -> [RawAuditEvent] {
        try ReplayFileParser.events(in: contents, name: name)
    }

    public func pages(in window: TimeWindow, categories: [String]) -> AsyncThrowingStream<AuditEventPage, any Error> {
        let cursor = ReplayCursor(reader: self, window: window)
        return AsyncThrowingStream(unfolding: { try cursor.next() })
    }
}

/// Hands out a replay file's pages one at a time; the file is parsed on the first request.
private final class ReplayCursor: Sendable {
    private struct State {
        var events: [RawAuditEvent]?
        var offset = 0
        var finished = false
    }

    private let reader: ReplayReader
    private let window: TimeWindow
    private let state = Mutex(State())

    init(reader: ReplayReader, window: TimeWindow) {
        self.reader = reader
        self.window = window
    }

    func next() throws -> AuditEventPage? {
        try state.withLock { state throws -> AuditEventPage? in
            guard !state.finished else { return nil }
            let events: [RawAuditEvent]
            if let parsed = state.events {
                events = parsed
            } else {
                events = try reader.events()
                state.events = events
            }
            let end = min(state.offset + max(reader.pageSize, 1), events.count)
            let page = AuditEventPage(events: Array(events[state.offset..<end]), slice: window, endsSlice: end == events.count)
            state.offset = end
            state.finished = page.endsSlice
            return page
        }
    }
}
