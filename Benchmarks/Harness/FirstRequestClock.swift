import Synchronization

/// When the first request of a run reached either fake, on the monotonic clock. Start-to-first-
/// request is this minus the launcher's spawn stamp: process start, runtime and library loading,
/// configuration, and the first connection, everything before the tool can do useful work.
final class FirstRequestClock: Sendable {
    private let stamp = Mutex<Int64?>(nil)

    func reset() { stamp.withLock { $0 = nil } }

    func mark() {
        let now = Clocks.monotonicNanoseconds()
        stamp.withLock { if $0 == nil { $0 = now } }
    }

    var value: Int64? { stamp.withLock { $0 } }
}
