import Synchronization

/// Thread-safe record of what a loopback server saw, for assertions after the requests.
public final class RequestLog<Entry: Sendable>: Sendable {
    private let entries = Mutex<[Entry]>([])

    public init() {}

    public func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    public var all: [Entry] {
        entries.withLock { $0 }
    }

    public var count: Int {
        entries.withLock { $0.count }
    }
}
