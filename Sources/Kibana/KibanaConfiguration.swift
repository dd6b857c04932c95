#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP

/// Where Kibana is and how to authenticate, resolved once for `install-kibana` and `check`.
/// Authentication is the Elasticsearch one (the same API key or user works for Kibana), so users
/// configure secrets once, from files.
public struct KibanaConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Base URL without a trailing slash.
    public var url: String
    /// The Kibana space (nil: the default space).
    public var space: String?
    public var auth: ElasticsearchAuth
    public var caCertPath: String?

    public init(url: String, space: String? = nil, auth: ElasticsearchAuth = .none, caCertPath: String? = nil) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.url = base
        self.space = space
        self.auth = auth
        self.caCertPath = caCertPath
    }

    public var description: String {
        "Kibana \(Redaction.stripURLCredentials(url))\(space.map { " space \($0)" } ?? ""), \(auth)"
    }

    public var httpClientConfiguration: HTTPClientConfiguration {
        HTTPClientConfiguration(caBundlePath: caCertPath)
    }

    /// `apiPath` in the configured space: `/s/<space>/api/...`, or `/api/...` for the default one.
    public func path(_ apiPath: String) -> String {
        guard let space, space != "default" else { return apiPath }
        return "/s/\(space)\(apiPath)"
    }

    /// The configuration, or nil when no Kibana is named (neither a URL nor a Cloud ID).
    /// Flags win over the environment; the CA file falls back to the Elasticsearch one.
    public static func resolve(environment: SecretEnvironment, overrides: KibanaOverrides) throws -> KibanaConfiguration? {
        let url: String
        if let given = overrides.url ?? environment.setting(KibanaEnvironmentName.url) {
            url = try validatedURL(given)
        } else if let cloudID = overrides.elasticsearch.cloudID ?? environment.setting(EnvironmentName.cloudID) {
            url = try CloudID.kibanaURL(from: cloudID)
        } else {
            return nil
        }
        let elasticsearch = try ElasticsearchConfiguration.resolve(environment: environment, overrides: overrides.elasticsearch)
        let space = overrides.space ?? environment.setting(KibanaEnvironmentName.space)
        if let space { try validate(space: space) }
        let caCertPath = overrides.caCertPath ?? environment.setting(KibanaEnvironmentName.caCert) ?? elasticsearch.caCertPath
        if let caCertPath, !FileManager.default.isReadableFile(atPath: caCertPath) {
            throw ConfigurationError("\(KibanaEnvironmentName.caCert) names '\(caCertPath)', which cannot be read; check the path and its permissions")
        }
        return KibanaConfiguration(url: url, space: space, auth: elasticsearch.auth, caCertPath: caCertPath)
    }

    static func validatedURL(_ text: String) throws -> String {
        var trimmed = text.trimmingWhitespaceAndNewlines()
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let lowered = trimmed.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), URL(string: trimmed)?.host != nil else {
            throw ConfigurationError("\(KibanaEnvironmentName.url) '\(Redaction.stripURLCredentials(text))' is not an http(s) URL; use e.g. https://kibana.example:5601")
        }
        return trimmed
    }

    /// Kibana space ids: lowercase letters, digits, '_' and '-'.
    static func validate(space: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")
        guard !space.isEmpty, space.allSatisfy({ allowed.contains($0) }) else {
            throw ConfigurationError("Kibana space '\(space)' is not a space id (lowercase letters, digits, '_' and '-'); use the id shown in the space's URL (/s/<id>/)")
        }
    }
}

/// Command-line values over the environment; nil means "not given".
public struct KibanaOverrides: Sendable, Equatable {
    public var url: String?
    public var space: String?
    public var caCertPath: String?
    /// Authentication (and the Cloud ID) come from the Elasticsearch settings.
    public var elasticsearch: ElasticsearchOverrides

    public init(url: String? = nil, space: String? = nil, caCertPath: String? = nil, elasticsearch: ElasticsearchOverrides = ElasticsearchOverrides()) {
        self.url = url
        self.space = space
        self.caCertPath = caCertPath
        self.elasticsearch = elasticsearch
    }
}

/// The product's environment variables for Kibana.
public enum KibanaEnvironmentName {
    public static let url = "KIBANA_URL"
    public static let space = "KIBANA_SPACE"
    public static let caCert = "KIBANA_CA_CERT"
}
