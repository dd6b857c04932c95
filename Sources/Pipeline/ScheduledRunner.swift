#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore

/// Runs one pass, or with `--every` a pass per interval until SIGTERM/SIGINT.
///
/// In the loop a failed pass is logged and retried on the next tick (a scheduler would do the
/// same), except configuration errors, which no retry can fix: they end the loop with status 2.
/// A stop request ends the pass within seconds (see `StopScope`) and the run with status 0:
/// what was settled is checkpointed, the rest is read again next time.
public struct ScheduledRunner: Sendable {
    public let every: Duration?
    public let stop: StopSignal
    public let sleeper: Sleeper
    public let logger: Logger
    /// How long a pass in flight may take to end by itself after a stop request.
    public var stopGrace: Duration = StopScope.defaultGrace
    /// Called with each pass's outcome (the summary line and `--summary-json` live there).
    public let report: @Sendable (PassSummary, ExitStatus, (any Error)?) -> Void

    public init(
        every: Duration?,
        stop: StopSignal,
        sleeper: Sleeper = .continuous,
        logger: Logger,
        report: @escaping @Sendable (PassSummary, ExitStatus, (any Error)?) -> Void
    ) {
        self.every = every
        self.stop = stop
        self.sleeper = sleeper
        self.logger = logger
        self.report = report
    }

    /// Runs `pass` (once, or on the interval) and returns the process exit status.
    public func run(_ pass: @escaping @Sendable () async throws -> PassSummary) async -> ExitStatus {
        while true {
            let status: ExitStatus
            do {
                let summary = try await StopScope.run(stop: stop, grace: stopGrace, pass)
                status = ExitStatus.forCompleted(summary)
                report(summary, status, nil)
            } catch where stop.isRequested && StopScope.isCancellation(error) {
                var summary = (error as? PassFailure)?.summary ?? PassSummary()
                summary.interrupted = true
                report(summary, .success, nil)
                return .success
            } catch {
                status = ErrorClassification.exitStatus(for: error)
                let summary = (error as? PassFailure)?.summary ?? PassSummary()
                report(summary, status, error)
                if every == nil || status == .configuration { return status }
            }
            guard let every else { return status }
            if stop.isRequested { return .success }
            logger.debug("next pass scheduled", metadata: ["in": "\(every)"])
            if await stop.sleep(for: every, sleeper: sleeper) { return .success }
        }
    }
}
