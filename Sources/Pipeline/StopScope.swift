import ShipperCore
import ShipperHTTP

/// Runs one pass so that a stop request (SIGTERM, SIGINT) ends it within seconds whatever it is
/// waiting for: the pass polls the stop between batches, and if it has not ended `grace` after
/// the request (it is in a backoff sleep, a 429 wait or a stalled transfer), it is cancelled.
/// Every wait honours cancellation: sleeps throw, libcurl transfers abort from their progress
/// callback, buffer waits throw. Cancelling never moves the checkpoint: only settled slices were
/// saved, and the rest is re-read by the next run.
public enum StopScope {
    /// Long enough for a bulk request in flight to be answered, short enough to stop within 5 s.
    public static let defaultGrace: Duration = .seconds(1)

    public static func run(
        stop: StopSignal,
        grace: Duration = defaultGrace,
        _ pass: @escaping @Sendable () async throws -> PassSummary
    ) async throws -> PassSummary {
        try await withThrowingTaskGroup(of: PassSummary?.self) { group in
            group.addTask { try await pass() }
            group.addTask {
                await stop.wait()
                guard !Task.isCancelled else { return nil }
                try? await Task.sleep(for: grace)
                return nil
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if let summary = outcome { return summary }
                // The watcher ended: the grace is over (or the pass ended first and cancelled it).
                group.cancelAll()
            }
            throw CancellationError()
        }
    }

    /// Whether `error` is what a cancelled pass throws, as opposed to a failure of its own.
    public static func isCancellation(_ error: any Error) -> Bool {
        let error = (error as? PassFailure)?.underlying ?? error
        if error is CancellationError { return true }
        if let http = error as? HTTPClientError, case .cancelled = http { return true }
        return false
    }
}
