import Foundation
import ShipperCore

/// A single self-overwriting progress line on stderr for long backfills, shown only when stderr
/// is a terminal (cron mail and container logs stay clean) and at most once a second.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = { text in StandardStreams.writeStandardError(text) }) {
        self.write = write
    }

    /// A reporter when stderr is a terminal, nil otherwise.
    public static func forTerminal() -> ProgressReporter? {
        isatty(STDERR_FILENO) == 1 ? ProgressReporter() : nil
    }

    func update(_ summary: PassSummary) {
        lock.withLock {
            let now = ContinuousClock.now
            if let lastDraw, now - lastDraw < .seconds(1) { return }
            lastDraw = now
            drawn = true
            write("\r\u{1B}[2K… pages \(summary.pages), events \(summary.events), \(summary.deliveredName) \(summary.report.indexed), duplicates \(summary.report.duplicates), slices \(summary.slicesCompleted)")
        }
    }

    func finish() {
        lock.withLock {
            if drawn { write("\r\u{1B}[2K") }
            drawn = false
        }
    }
}
