import ShipperCore
import ShipperHTTP
import Synchronization

/// Spaces Mimecast calls so a long backfill never spends the application's whole quota, which it
/// shares with every other integration using the same credentials.
///
/// Two limits, the slower wins: the user's `--max-calls-per-hour`, and the quota headers of the
/// answers (`X-RateLimit-Limit`, `X-RateLimit-Remaining`): once less than a fifth of the quota is
/// left, the remaining calls are spread over an hour (one every 3600 s / remaining, rounded up to
/// a power of two seconds, at most 60 s). Rounding keeps the pace from changing on every call, so
/// it is logged once per change, not per call.
final class QuotaPacer: Sendable {
    /// A pace and why, for the log line.
    struct Pace: Equatable, Sendable {
        var interval: Duration
        var reason: String
    }

    /// Below this share of the quota left, pacing from the headers starts.
    static let lowQuotaShare = 0.2
    static let longestHeaderInterval: Duration = .seconds(60)

    private struct State {
        var lastCall: ContinuousClock.Instant?
        var headerPace: Pace?
        var loggedInterval: Duration = .zero
    }

    private let userPace: Pace?
    private let state = Mutex(State())
    private let clock: @Sendable () -> ContinuousClock.Instant

    init(maxCallsPerHour: Int?, clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        userPace = maxCallsPerHour.flatMap { limit in
            limit > 0 ? Pace(interval: .secondsDouble(3600 / Double(limit)), reason: "at most \(limit) calls per hour (--max-calls-per-hour)") : nil
        }
        self.clock = clock
    }

    /// The pace the headers of one answer ask for, nil when the quota is healthy or not reported.
    /// Pure, so the rule is unit-tested exactly.
    static func headerPace(limit: Int?, remaining: Int?) -> Pace? {
        guard let limit, let remaining, limit > 0, remaining >= 0, Double(remaining) < Double(limit) * lowQuotaShare else { return nil }
        let spread = 3600 / Double(max(remaining, 1))
        var seconds = 1.0
        while seconds < spread && seconds < longestHeaderInterval.secondsDouble { seconds *= 2 }
        let interval = min(Duration.secondsDouble(seconds), longestHeaderInterval)
        return Pace(interval: interval, reason: "the application's quota is down to \(remaining) of \(limit) calls, shared with its other integrations")
    }

    /// Reads the quota headers of an answer.
    func observe(_ headers: HTTPHeaders) {
        let limit = headers["X-RateLimit-Limit"].flatMap { Int($0.trimmingWhitespace()) }
        let remaining = headers["X-RateLimit-Remaining"].flatMap { Int($0.trimmingWhitespace()) }
        guard limit != nil || remaining != nil else { return }
        let pace = Self.headerPace(limit: limit, remaining: remaining)
        state.withLock { $0.headerPace = pace }
    }

    /// How long to wait before the next call (zero: send now), and a line to log when the pace
    /// changed since the last one logged. The caller waits, then calls `sending()`.
    func nextTurn() -> (wait: Duration, change: String?) {
        let now = clock()
        return state.withLock { state in
            let pace = [userPace, state.headerPace].compactMap { $0 }.max { $0.interval < $1.interval }
            let interval = pace?.interval ?? .zero
            var change: String?
            if interval != state.loggedInterval {
                state.loggedInterval = interval
                change = pace.map { "Mimecast pace: one call every \(Self.format($0.interval)) (\($0.reason))" }
                    ?? "Mimecast pace: no longer slowed down"
            }
            var wait = Duration.zero
            if let last = state.lastCall {
                let due = last + interval
                if due > now { wait = due - now }
            }
            return (wait, change)
        }
    }

    /// Records that a call is being sent now (after any wait `nextTurn` asked for).
    func sending() {
        let now = clock()
        state.withLock { $0.lastCall = now }
    }

    private static func format(_ duration: Duration) -> String {
        let seconds = duration.secondsDouble
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return "\((seconds * 100).rounded() / 100)s"
    }
}
