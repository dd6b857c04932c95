#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperHTTP

/// Where and how to reach Elasticsearch, and which data stream to write. Resolved once from
/// flags and the environment so every subcommand (run, check, install-template) agrees.
public struct ElasticsearchConfiguration: Sendable, Equatable, CustomStringConvertible {
    public static let defaultURL = "http://localhost:9200"

    /// Base URL without a trailing slash.
    public var url: String
    public var auth: ElasticsearchAuth
    /// A PEM file of CA certificates (Elasticsearch 8's self-signed CA, a private CA).
    public var caCertPath: String?
    /// The data stream namespace: lowercase, no '-'.
    public var namespace: String

    public init(
        url: String = ElasticsearchConfiguration.defaultURL,
        auth: ElasticsearchAuth = .none,
        caCertPath: String? = nil,
        namespace: String = "default"
    ) {
        self.url = url
        self.auth = auth
        self.caCertPath = caCertPath
        self.namespace = namespace
    }

    /// `logs-mimecast.audit-<namespace>`: type `logs`, dataset `mimecast.audit` (distinct from
    /// Elastic's own `mimecast.audit_events` integration).
    public var dataStream: String { DataStreamNaming.dataStream(namespace: namespace) }

    /// The URL with any `user:password@` removed, for logs and messages.
    public var redactedURL: String { Redaction.stripURLCredentials(url) }

    /// For logs: the endpoint without user-info, the auth scheme, never a secret.
    public var description: String {
        "Elasticsearch \(redactedURL), \(auth), data stream \(dataStream)" + (caCertPath.map { ", CA file \($0)" } ?? "")
    }

    /// HTTP settings for a client talking to this cluster.
    public var httpClientConfiguration: HTTPClientConfiguration {
        HTTPClientConfiguration(caBundlePath: caCertPath)
    }

    /// Flags win over the environment, field by field. Two ways of naming the endpoint (URL and
    /// Cloud ID) or of authenticating (API key and user/password) given at the same level are a
    /// conflict; incomplete basic auth is an error naming the missing variable.
    public static func resolve(
        environment: SecretEnvironment,
        overrides: ElasticsearchOverrides = ElasticsearchOverrides()
    ) throws -> ElasticsearchConfiguration {
        let url = try resolveURL(environment: environment, overrides: overrides)
        let auth = try resolveAuth(environment: environment, overrides: overrides)
        let caCertPath = overrides.caCertPath ?? environment.setting(EnvironmentName.caCert)
        if let caCertPath, !FileManager.default.isReadableFile(atPath: caCertPath) {
            throw ConfigurationError("\(EnvironmentName.caCert) names '\(caCertPath)', which cannot be read; check the path and its permissions")
        }
        let namespace = overrides.namespace ?? "default"
        try DataStreamNaming.validate(namespace: namespace)
        return ElasticsearchConfiguration(url: url, auth: auth, caCertPath: caCertPath, namespace: namespace)
    }

    private static func resolveURL(environment: SecretEnvironment, overrides: ElasticsearchOverrides) throws -> String {
        let url = Layered(flag: overrides.url, environment: environment.setting(EnvironmentName.url))
        let cloudID = Layered(flag: overrides.cloudID, environment: environment.setting(EnvironmentName.cloudID))
        let chosen = try Layered.pickOne(
            url, cloudID,
            conflict: "both \(EnvironmentName.url) and \(EnvironmentName.cloudID) are set; set only one of them"
        )
        switch chosen {
        case .first(let value): return try validatedURL(value)
        case .second(let value): return try CloudID.elasticsearchURL(from: value)
        case .neither: return defaultURL
        }
    }

    private static func resolveAuth(environment: SecretEnvironment, overrides: ElasticsearchOverrides) throws -> ElasticsearchAuth {
        let apiKey = try Layered(flag: overrides.apiKey) { try environment.secret(EnvironmentName.apiKey) }
        let username = try Layered(flag: overrides.username) { try environment.secret(EnvironmentName.username) }
        let password = try Layered(flag: overrides.password) { try environment.secret(EnvironmentName.password) }
        let basic = Layered.combined(username, password)
        let chosen = try Layered.pickOne(
            apiKey, basic,
            conflict: "both \(EnvironmentName.apiKey) and \(EnvironmentName.username)/\(EnvironmentName.password) are set; use one authentication method"
        )
        switch chosen {
        case .first(let key):
            return .apiKey(userInput: key)
        case .second:
            guard let user = username.value else {
                throw ConfigurationError("\(EnvironmentName.password) is set but \(EnvironmentName.username) is not; set \(EnvironmentName.username) (or \(EnvironmentName.username)_FILE)")
            }
            guard let secret = password.value else {
                throw ConfigurationError("\(EnvironmentName.username) is set but \(EnvironmentName.password) is not; set \(EnvironmentName.password) (or \(EnvironmentName.password)_FILE)")
            }
            return .basic(username: user, password: secret)
        case .neither:
            return .none
        }
    }

    static func validatedURL(_ text: String) throws -> String {
        var trimmed = text.trimmingWhitespaceAndNewlines()
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let lowered = trimmed.lowercased()
        let scheme = ["http://", "https://"].first { lowered.hasPrefix($0) }
        guard let scheme, trimmed.count > scheme.count, URL(string: trimmed)?.host != nil else {
            throw ConfigurationError("\(EnvironmentName.url) '\(Redaction.redactedForMessage(text))' is not an http(s) URL; use e.g. https://elasticsearch.example:9200")
        }
        return trimmed
    }
}

/// The command-line values that take precedence over the environment; nil means "not given".
public struct ElasticsearchOverrides: Sendable, Equatable {
    public var url: String?
    public var cloudID: String?
    public var apiKey: String?
    public var username: String?
    public var password: String?
    public var caCertPath: String?
    public var namespace: String?

    public init(
        url: String? = nil,
        cloudID: String? = nil,
        apiKey: String? = nil,
        username: String? = nil,
        password: String? = nil,
        caCertPath: String? = nil,
        namespace: String? = nil
    ) {
        self.url = url
        self.cloudID = cloudID
        self.apiKey = apiKey
        self.username = username
        self.password = password
        self.caCertPath = caCertPath
        self.namespace = namespace
    }
}

/// The product's environment variables for Elasticsearch (every secret also as `<NAME>_FILE`).
public enum EnvironmentName {
    public static let url = "ELASTICSEARCH_URL"
    public static let cloudID = "ELASTICSEARCH_CLOUD_ID"
    public static let apiKey = "ELASTICSEARCH_API_KEY"
    public static let username = "ELASTICSEARCH_USERNAME"
    public static let password = "ELASTICSEARCH_PASSWORD"
    public static let caCert = "ELASTICSEARCH_CA_CERT"
}
