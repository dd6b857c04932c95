/// Runs `body`, then awaits `teardown` whether `body` returned or threw, so a test's servers are
/// stopped before the test ends (a `defer { Task { … } }` lets them outlive it).
public func withTeardown<T>(
    _ teardown: () async -> Void,
    _ body: () async throws -> T
) async throws -> T {
    do {
        let result = try await body()
        await teardown()
        return result
    } catch {
        await teardown()
        throw error
    }
}
