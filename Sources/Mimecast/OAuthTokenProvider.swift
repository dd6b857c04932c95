#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperHTTP

/// Holds the API 2.0 access token: fetched on first use, reused until 60 s before expiry, dropped
/// when the API answers 401 so the next attempt fetches a new one. Concurrent callers share one
/// fetch.
actor OAuthTokenProvider {
    private let clientID: String
    private let clientSecret: String
    private let exchange: MimecastExchange
    private let now: @Sendable () -> Date
    private var cached: OAuthToken?
    private var inFlight: Task<OAuthToken, any Error>?

    init(clientID: String, clientSecret: String, exchange: MimecastExchange, now: @escaping @Sendable () -> Date) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.exchange = exchange
        self.now = now
    }

    /// A usable token, fetching one when none is cached or the cached one is about to expire.
    func token() async throws -> OAuthToken {
        if let cached, cached.isUsable(at: now()) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { [clientID, clientSecret, exchange, now] in
            try await Self.fetch(clientID: clientID, clientSecret: clientSecret, exchange: exchange, now: now)
        }
        inFlight = task
        defer { inFlight = nil }
        // The fetch runs in its own task (concurrent callers share it); a cancelled caller (a
        // stopped pass) cancels it, so a stalled token request never outlives the pass.
        let fresh = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
        // A server echoing the Authorization header must not put the token into a log.
        SecretRedactor.shared.registerTransient(fresh.value)
        cached = fresh
        return fresh
    }

    /// Forgets `token` if it is still the cached one (a 401 showed it no longer works).
    func invalidate(_ token: OAuthToken) {
        if cached == token { cached = nil }
    }

    private static func fetch(
        clientID: String,
        clientSecret: String,
        exchange: MimecastExchange,
        now: @Sendable () -> Date
    ) async throws -> OAuthToken {
        let url = exchange.configuration.baseURL + OAuthToken.path
        let response = try await exchange.send(path: OAuthToken.path, countCall: { $0.tokenCalls += 1 }) {
            HTTPRequest(
                method: .post,
                url: url,
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
                body: OAuthToken.requestBody(clientID: clientID, clientSecret: clientSecret)
            )
        }
        let failures = MimecastFailure.list(inBody: response.body)
        switch response.status {
        case 200..<300:
            return try OAuthToken.parse(response.body, receivedAt: now())
        case 400, 401:
            let credentials = MimecastCredentials.oauth(clientID: clientID, clientSecret: clientSecret)
            throw MimecastError.configuration(
                AuthenticationAdvice.rejected(credentials, path: OAuthToken.path, status: response.status, failures: failures)
            )
        case 403:
            let credentials = MimecastCredentials.oauth(clientID: clientID, clientSecret: clientSecret)
            throw MimecastError.configuration(AuthenticationAdvice.forbidden(credentials, path: OAuthToken.path, failures: failures))
        default:
            throw MimecastError.httpStatus(path: OAuthToken.path, status: response.status, detail: failures.map(\.description).joined(separator: "; "))
        }
    }
}
