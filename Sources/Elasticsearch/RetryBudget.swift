/// The time the indexer may still spend waiting to retry. Spent by the waits themselves, which an
/// injected `Sleeper` performs, so the 10-minute budget is tested without a clock.
struct RetryBudget: Sendable, Equatable {
    let total: Duration
    private(set) var spent: Duration = .zero

    init(total: Duration) {
        self.total = total
    }

    var isExhausted: Bool { spent >= total }

    /// The wait to perform for a proposed backoff delay (never past the budget), or nil when the
    /// budget is already spent.
    mutating func grant(_ proposed: Duration) -> Duration? {
        guard !isExhausted else { return nil }
        let wait = min(proposed, total - spent)
        spent += wait
        return wait
    }
}
