#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperHTTP

/// Authenticated POSTs to the Mimecast API: adds API 2.0 bearer tokens or API 1.0 signatures,
/// renews a token once on 401, and turns answers the user must act on into typed errors.
/// Only 2xx answers are returned.
struct MimecastAPIClient: Sendable {
    private enum Authorization: Sendable {
        case oauth(OAuthTokenProvider)
        case hmac(HMACRequestSigner)
        /// Credentials that cannot sign anything; every request fails with this message.
        case unusable(String)
    }

    let configuration: MimecastConfiguration
    let exchange: MimecastExchange
    private let authorization: Authorization
    private let now: @Sendable () -> Date
    private let makeRequestID: @Sendable () -> String

    init(
        exchange: MimecastExchange,
        now: @escaping @Sendable () -> Date,
        makeRequestID: @escaping @Sendable () -> String = { UUID().uuidString }
    ) {
        self.configuration = exchange.configuration
        self.exchange = exchange
        self.now = now
        self.makeRequestID = makeRequestID
        switch exchange.configuration.credentials {
        case .oauth(let clientID, let clientSecret):
            authorization = .oauth(OAuthTokenProvider(clientID: clientID, clientSecret: clientSecret, exchange: exchange, now: now))
        case .hmac(let appID, let appKey, let accessKey, let secretKey):
            if let signer = HMACRequestSigner(appID: appID, appKey: appKey, accessKey: accessKey, secretKeyBase64: secretKey) {
                authorization = .hmac(signer)
            } else {
                authorization = .unusable(AuthenticationAdvice.secretKeyNotBase64)
            }
        }
    }

    /// An API 2.0 token, fetched or reused (nil for API 1.0).
    func currentToken() async throws -> OAuthToken? {
        guard case .oauth(let provider) = authorization else { return nil }
        return try await provider.token()
    }

    func post(path: String, body: [UInt8]) async throws -> HTTPResponse {
        var renewedAfter401 = false
        while true {
            var usedToken: OAuthToken?
            let response = try await exchange.send(path: path, countCall: { $0.auditCalls += 1 }) {
                var request = HTTPRequest(
                    method: .post,
                    url: configuration.baseURL + path,
                    headers: ["Content-Type": "application/json", "Accept": "application/json"],
                    body: body
                )
                switch authorization {
                case .oauth(let provider):
                    let token = try await provider.token()
                    usedToken = token
                    request.headers.set("Authorization", "Bearer \(token.value)")
                case .hmac(let signer):
                    for field in signer.headers(date: now(), requestID: makeRequestID(), path: path) {
                        request.headers.set(field.name, field.value)
                    }
                case .unusable(let message):
                    throw MimecastError.configuration(message)
                }
                return request
            }
            let failures = { MimecastFailure.list(inBody: response.body) }
            switch response.status {
            case 200..<300:
                return response
            case 401:
                if case .oauth(let provider) = authorization, !renewedAfter401, let usedToken {
                    await provider.invalidate(usedToken)
                    renewedAfter401 = true
                    exchange.statistics.update { $0.tokenRenewalsAfter401 += 1 }
                    exchange.logger.info("Mimecast answered 401 to a bearer token; fetching a new token once")
                    continue
                }
                throw MimecastError.configuration(
                    AuthenticationAdvice.rejected(configuration.credentials, path: path, status: 401, failures: failures())
                )
            case 403:
                throw MimecastError.configuration(AuthenticationAdvice.forbidden(configuration.credentials, path: path, failures: failures()))
            case 418:
                throw MimecastError.configuration(AuthenticationAdvice.bindingExpired(path: path))
            default:
                let listed = failures()
                if !listed.isEmpty {
                    throw MimecastError.apiFailure(path: path, status: response.status, failures: listed)
                }
                throw MimecastError.httpStatus(path: path, status: response.status, detail: "")
            }
        }
    }
}
