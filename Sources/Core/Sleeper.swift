/// How retry loops wait. Injected so tests of backoff and rate-limit handling run instantly and
/// can assert the exact delays requested, instead of sleeping for real.
public struct Sleeper: Sendable {
    private let body: @Sendable (Duration) async throws -> Void

    public init(_ body: @escaping @Sendable (Duration) async throws -> Void) {
        self.body = body
    }

    public func sleep(for duration: Duration) async throws {
        try await body(duration)
    }

    /// Real waiting; throws `CancellationError` when the task is cancelled.
    public static let continuous = Sleeper { duration in
        try await Task.sleep(for: duration)
    }
}
