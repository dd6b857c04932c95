import Foundation
import Synchronization

/// A clock tests move by hand, shared by the fake and the reader so token expiry and signature
/// freshness can be tested without waiting.
public final class FakeClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// `now` as a closure, for APIs that take one.
    public var closure: @Sendable () -> Date { { [self] in now } }
}
