import ShipperCore
import Synchronization

/// A request to stop after the current batch (SIGTERM, SIGINT). The job polls it between batches;
/// the `--every` loop's wait returns early when it fires. Kept apart from signal handling so
/// tests trigger it directly.
public final class StopSignal: Sendable {
    private struct State {
        var requested = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var isRequested: Bool { state.withLock { $0.requested } }

    public func request() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.requested = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until a stop is requested or the task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.requested || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Sleeps for `duration` or until a stop is requested, whichever comes first. Returns true when
    /// a stop was requested.
    public func sleep(for duration: Duration, sleeper: Sleeper = .continuous) async -> Bool {
        if isRequested { return true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await sleeper.sleep(for: duration) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
        return isRequested
    }
}
