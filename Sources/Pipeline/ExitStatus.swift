#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// The process exit codes, a contract with schedulers and alerting (documented in `--help` and
/// the README).
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Every event read was stored or already present.
    case success = 0
    /// The pass failed; the checkpoint was not advanced past unsettled events. Retrying is safe.
    case failure = 1
    /// Usage or configuration error: fix flags, environment, credentials or files.
    case configuration = 2
    /// The pass finished, but some documents were rejected and written to the dead-letter file.
    case deadLettered = 3

    public static let helpText = """
        Exit codes: 0 success, also after a first SIGTERM/SIGINT (waits end at once, what was \
        settled is checkpointed); 1 failure (checkpoint not advanced past unsettled events, safe \
        to retry); 2 usage or configuration error; 3 finished, but some documents went to the \
        dead-letter file in the state directory; 130/143 a second SIGINT/SIGTERM ended the \
        process at once (also safe: nothing unsettled is checkpointed).
        """

    /// The status for a finished pass.
    public static func forCompleted(_ summary: PassSummary) -> ExitStatus {
        summary.report.deadLettered > 0 ? .deadLettered : .success
    }
}
