#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// An API 2.0 access token and when it stops working. Pure: the token request body, the answer's
/// decoding and the reuse rule are unit-tested without a server.
struct OAuthToken: Sendable, Equatable {
    static let path = "/oauth/token"
    /// Renew this long before expiry, as Mimecast's public integrations do, so a token never
    /// expires between being chosen and reaching the API.
    static let renewalMargin: TimeInterval = 60
    /// Lifetime assumed when the answer has no `expires_in`, as Mimecast's public integrations do.
    static let defaultLifetime: TimeInterval = 1800

    let value: String
    let expiresAt: Date

    func isUsable(at now: Date) -> Bool {
        now < expiresAt.addingTimeInterval(-Self.renewalMargin)
    }

    /// `client_id=…&client_secret=…&grant_type=client_credentials`, form-encoded.
    static func requestBody(clientID: String, clientSecret: String) -> [UInt8] {
        let pairs = [("client_id", clientID), ("client_secret", clientSecret), ("grant_type", "client_credentials")]
        return Array(pairs.map { "\($0.0)=\(formEncoded($0.1))" }.joined(separator: "&").utf8)
    }

    /// Decodes `{"access_token": "…", "token_type": "Bearer", "expires_in": 1800}` received at `now`.
    static func parse(_ body: [UInt8], receivedAt now: Date) throws(MimecastError) -> OAuthToken {
        guard let document = try? JSONValue.parse(body) else {
            throw .malformedResponse(path: path, detail: "token answer is not JSON")
        }
        guard let token = document["access_token"]?.stringValue, !token.isEmpty else {
            throw .malformedResponse(path: path, detail: "token answer has no access_token")
        }
        if let type = document["token_type"]?.stringValue, type.lowercased() != "bearer" {
            throw .malformedResponse(path: path, detail: "token type '\(type)' is not Bearer")
        }
        let lifetime = document["expires_in"]?.doubleValue ?? defaultLifetime
        return OAuthToken(value: token, expiresAt: now.addingTimeInterval(max(lifetime, 0)))
    }

    /// application/x-www-form-urlencoded: everything but unreserved characters percent-encoded.
    private static func formEncoded(_ text: String) -> String {
        PercentEncoding.unreserved(text)
    }
}
