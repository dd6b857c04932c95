#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the shipper proves who it is to Elasticsearch. An enum rather than loose strings so the
/// header is built in one place and the value can be logged without leaking the secret.
public enum ElasticsearchAuth: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    case none
    /// The API key in its ready-to-send form, `base64(id:api_key)` (what the create-key API
    /// returns as `encoded`).
    case apiKey(encoded: String)
    case basic(username: String, password: String)

    /// Accepts the API key as users copy it: either the encoded form or `id:api_key`.
    public static func apiKey(userInput: String) -> ElasticsearchAuth {
        let trimmed = userInput.trimmingWhitespaceAndNewlines()
        if trimmed.contains(":") {
            return .apiKey(encoded: Data(trimmed.utf8).base64EncodedString())
        }
        return .apiKey(encoded: trimmed)
    }

    /// The `Authorization` header value, nil for `.none`.
    public var authorizationHeader: String? {
        switch self {
        case .none:
            return nil
        case .apiKey(let encoded):
            return "ApiKey \(encoded)"
        case .basic(let username, let password):
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        }
    }

    /// Names the scheme (and the user for basic auth), never the secret.
    public var description: String {
        switch self {
        case .none: "no authentication"
        case .apiKey: "API key (redacted)"
        case .basic(let username, _): "basic authentication as '\(username)' (password redacted)"
        }
    }

    public var debugDescription: String { description }

    /// Keeps `dump` and reflection-based printing from reaching the secret.
    public var customMirror: Mirror { Mirror(self, children: ["scheme": description]) }

    /// For a 401 when the only credentials were the user-info inside the URL.
    static let urlCredentialHint = "the user name and password inside ELASTICSEARCH_URL were sent and rejected; check them, or better move them to ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD (or ELASTICSEARCH_API_KEY)"

    /// What the user should check when Elasticsearch answers 401.
    var credentialHint: String {
        switch self {
        case .none:
            "no credentials were sent; set ELASTICSEARCH_API_KEY, or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD"
        case .apiKey:
            "check ELASTICSEARCH_API_KEY (the encoded value or id:api_key) and that the key is not expired or invalidated"
        case .basic:
            "check ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD"
        }
    }
}
