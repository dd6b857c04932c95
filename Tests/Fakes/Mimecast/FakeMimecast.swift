import Foundation
import Hummingbird
import HTTPTypes
import ShipperTestSupport
import Synchronization

/// A loopback Mimecast for tests: it issues and checks OAuth tokens, verifies API 1.0 signatures
/// (a wrong signature, a stale date, a replayed request id or a bad token gets a 401 in the API's
/// shape), and pages through its data set with opaque `next` tokens, filtering by window and
/// categories. Rate limits, server errors, `fail` answers and late events are injected on demand.
public final class FakeMimecast: Sendable {
    private let server: LoopbackServer
    let state: FakeStateBox

    public var baseURL: String { server.baseURL }

    private init(server: LoopbackServer, state: FakeStateBox) {
        self.server = server
        self.state = state
    }

    public static func start(_ options: FakeMimecastOptions = FakeMimecastOptions()) async throws -> FakeMimecast {
        let box = FakeStateBox(FakeMimecastState(options: options))
        let router = Router(context: LoopbackRequestContext.self)
        router.post("oauth/token") { request, _ -> Response in
            let headers = Self.headers(of: request)
            let body = try await request.bodyBytes()
            return box.answer { $0.answerToken(headers: headers, body: body) }.response
        }
        router.post("api/audit/get-audit-events") { request, _ -> Response in
            let headers = Self.headers(of: request)
            let body = try await request.bodyBytes()
            return box.answer { $0.answerAudit(headers: headers, body: body) }.response
        }
        let server = try await LoopbackServer.start(router: router)
        return FakeMimecast(server: server, state: box)
    }

    public func stop() async {
        await server.stop()
    }

    /// Starts a fake, runs `body` against it and stops it whether `body` returns or throws.
    public static func run<T>(_ options: FakeMimecastOptions = FakeMimecastOptions(), _ body: (FakeMimecast) async throws -> T) async throws -> T {
        let fake = try await start(options)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(fake))
        } catch {
            result = .failure(error)
        }
        await fake.stop()
        return try result.get()
    }

    // MARK: inspection

    public var calls: [FakeMimecastCall] { state.withLock { $0.calls } }
    public var auditCalls: [FakeMimecastCall] { calls.filter { $0.path == FakeMimecastState.auditPath } }
    public var tokenCallCount: Int { state.withLock { $0.tokenCalls } }
    public var auditCallCount: Int { state.withLock { $0.auditCalls } }
    /// Tokens issued so far (each successful token call issues one).
    public var issuedTokenCount: Int { state.withLock { $0.issuedTokens } }

    // MARK: injection

    /// The next audit calls (after authentication) answer 429, one per element.
    public func rateLimitNext(_ limits: FakeRateLimit...) {
        state.withLock { $0.pendingRateLimits += limits }
    }

    /// Once `afterAuditCalls` audit calls have been answered, the following ones answer 429, one per
    /// element: a rate limit that strikes in the middle of a window.
    public func rateLimit(_ limits: FakeRateLimit..., afterAuditCalls: Int) {
        state.withLock { $0.scheduledRateLimits.append((afterAuditCalls, limits)) }
    }

    /// The next `count` audit calls answer `status` (a 5xx).
    public func failNextWithServerError(_ count: Int = 1, status: Int = 503) {
        state.withLock {
            $0.pendingServerErrors += count
            $0.serverErrorStatus = status
        }
    }

    /// Every `n`th audit call (counting all of them) answers `status`; nil turns it off.
    public func failEveryNthCall(_ n: Int?, status: Int = 503) {
        state.withLock {
            $0.serverErrorEvery = n
            $0.serverErrorStatus = status
        }
    }

    /// The next audit call answers 200 with this entry in `fail`.
    public func failNextWithAPIError(code: String, message: String) {
        state.withLock { $0.pendingFailures.append((code, message)) }
    }

    /// The next audit call (once authenticated) answers `status` with this `fail` entry: 403 for an
    /// application without permission, 400 for a request Mimecast refuses.
    public func failNextWithStatus(_ status: Int, code: String, message: String) {
        state.withLock { $0.pendingStatusFailures.append((status, code, message)) }
    }

    /// While on, error answers quote the request back, as careless servers and proxies do: a
    /// refused token request quotes its form body (with `client_secret`), an audit error quotes
    /// the `Authorization` header. For tests that secrets never reach the shipper's output.
    public func echoRequests(_ echo: Bool = true) {
        state.withLock { $0.echoRequests = echo }
    }

    /// Refuses every bearer token (even fresh ones) while on.
    public func rejectBearerTokens(_ reject: Bool = true) {
        state.withLock { $0.rejectBearerTokens = reject }
    }

    /// Adds events now, as if Mimecast had just recorded them.
    public func addEvents(_ events: [FakeAuditEvent]) {
        state.withLock { $0.events += events }
    }

    /// Adds events once `afterAuditCalls` audit calls have been answered: events that show up late
    /// inside a window that was already (partly) read.
    public func addLateEvents(_ events: [FakeAuditEvent], afterAuditCalls: Int) {
        state.withLock { $0.lateEvents.append((afterAuditCalls, events)) }
    }

    /// Invalidates every issued token, as a revoked or rotated secret would.
    public func revokeTokens() {
        state.withLock { $0.tokens.removeAll() }
    }

    // MARK: plumbing

    private static func headers(of request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName.lowercased()] = field.value
        }
        return headers
    }
}

/// The one state shared by the router's closures and the `FakeMimecast` handle.
final class FakeStateBox: Sendable {
    private let mutex: Mutex<FakeMimecastState>

    init(_ state: FakeMimecastState) {
        mutex = Mutex(state)
    }

    func withLock<Result>(_ body: (inout FakeMimecastState) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }

    func answer(_ body: (inout FakeMimecastState) -> FakeAnswer) -> FakeAnswer {
        withLock(body)
    }
}

extension FakeAnswer {
    var response: Response { .bytes(body, status: status, headers: headers.merging(["Content-Type": "application/json"]) { old, _ in old }) }
}
