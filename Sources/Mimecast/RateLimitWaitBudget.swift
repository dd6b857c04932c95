import Synchronization

/// How long one pass may spend waiting out Mimecast's 429 answers, in total.
///
/// A 429 asking for a huge wait (`X-RateLimit-Reset: 99999999999`), or one repeated thirty times,
/// would otherwise hold a scheduled run for hours while the next runs queue up behind its lock.
/// Past the cap the pass stops with what is settled checkpointed; the next run continues.
final class RateLimitWaitBudget: Sendable {
    private let waited = Mutex(Duration.zero)

    /// Starts a new pass.
    func reset() {
        waited.withLock { $0 = .zero }
    }

    /// Waited so far in this pass.
    var spent: Duration { waited.withLock { $0 } }

    /// Books `delay` and returns true when it fits under `cap`; books nothing and returns false
    /// when it does not.
    func spend(_ delay: Duration, cap: Duration) -> Bool {
        waited.withLock { total in
            guard total + delay <= cap else { return false }
            total += delay
            return true
        }
    }
}
