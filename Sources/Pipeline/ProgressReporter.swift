#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ShipperCore
import Synchronization

/// A single self-overwriting progress line on stderr for long backfills, shown only when stderr
/// is a terminal (cron mail and container logs stay clean) and at most once a second.
public final class ProgressReporter: Sendable {
    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = { text in StandardStreams.writeStandardError(text) }) {
        self.write = write
    }

    /// A reporter when stderr is a terminal, nil otherwise.
    public static func forTerminal() -> ProgressReporter? {
        isatty(STDERR_FILENO) == 1 ? ProgressReporter() : nil
    }

    func update(_ summary: PassSummary) {
        state.withLock { state in
            let now = ContinuousClock.now
            if let lastDraw = state.lastDraw, now - lastDraw < .seconds(1) { return }
            state.lastDraw = now
            state.drawn = true
            write("\r\u{1B}[2K… pages \(summary.pages), events \(summary.events), \(summary.deliveredName) \(summary.report.indexed), duplicates \(summary.report.duplicates), slices \(summary.slicesCompleted)")
        }
    }

    func finish() {
        state.withLock { state in
            if state.drawn { write("\r\u{1B}[2K") }
            state.drawn = false
        }
    }
}
