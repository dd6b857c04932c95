#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Everything the Mimecast reader needs to know, loaded once at start so a wrong setting fails the
/// run before any request is made.
public struct MimecastConfiguration: Sendable {
    public static let defaultBaseURL = "https://api.services.mimecast.com"

    /// Scheme and host (and optional port), without a trailing slash.
    public var baseURL: String
    public var credentials: MimecastCredentials
    /// Events per page; 500 is the largest size public connectors use, so the fewest rate-limited calls.
    public var pageSize: Int
    /// Long windows are read as consecutive slices of this length, each its own paging session.
    public var sliceLength: TimeInterval
    /// Attempts after the first for 5xx answers and network errors.
    public var maxRetries: Int
    /// 429 answers waited out per request before giving up (the API normally recovers well before).
    public var maxRateLimitWaits: Int
    /// Backoff for 5xx, network errors and 429 answers without reset headers.
    public var backoff: ExponentialBackoff
    /// Longest single wait a 429's headers can ask for; a larger value is treated as this.
    public var maxRateLimitWait: Duration
    /// The user's cap on calls per hour, so a backfill leaves the shared quota to other integrations.
    public var maxCallsPerHour: Int?
    /// Longest total time one pass may spend waiting on 429s (`--max-rate-limit-wait`); past it
    /// the pass stops and the next run continues from the checkpoint.
    public var maxRateLimitWaitPerPass: Duration = MimecastConfiguration.defaultMaxRateLimitWaitPerPass
    public static let defaultMaxRateLimitWaitPerPass: Duration = .seconds(120)

    public init(
        baseURL: String = MimecastConfiguration.defaultBaseURL,
        credentials: MimecastCredentials,
        pageSize: Int = 500,
        sliceLength: TimeInterval = 86400,
        maxRetries: Int = 5,
        maxRateLimitWaits: Int = 30,
        backoff: ExponentialBackoff = ExponentialBackoff(base: .seconds(1), cap: .seconds(60)),
        maxRateLimitWait: Duration = .seconds(900),
        maxCallsPerHour: Int? = nil
    ) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.credentials = credentials
        self.pageSize = pageSize
        self.sliceLength = sliceLength
        self.maxRetries = maxRetries
        self.maxRateLimitWaits = maxRateLimitWaits
        self.backoff = backoff
        self.maxRateLimitWait = maxRateLimitWait
        self.maxCallsPerHour = maxCallsPerHour
    }

    /// Reads `MIMECAST_*` settings; every secret may come from `<NAME>_FILE`.
    ///
    /// The scheme is chosen by which set is present. Both sets, neither, or an incomplete set is a
    /// `ConfigurationError` that names the variables to set or unset.
    public static func fromEnvironment(_ environment: SecretEnvironment) throws -> MimecastConfiguration {
        let oauthSet = MimecastEnvironment.oauthVariables.filter(environment.isSet)
        let hmacSet = MimecastEnvironment.hmacVariables.filter(environment.isSet)
        let credentials: MimecastCredentials
        switch (oauthSet.isEmpty, hmacSet.isEmpty) {
        case (false, false):
            throw ConfigurationError(
                "both API 2.0 (\(oauthSet.joined(separator: ", "))) and API 1.0 (\(hmacSet.joined(separator: ", "))) Mimecast credentials are set; keep only one set"
            )
        case (true, true):
            throw ConfigurationError(
                "no Mimecast credentials: set \(MimecastEnvironment.clientID) and \(MimecastEnvironment.clientSecret) (API 2.0), or \(MimecastEnvironment.hmacVariables.joined(separator: ", ")) (API 1.0)"
            )
        case (false, true):
            credentials = .oauth(
                clientID: try required(MimecastEnvironment.clientID, in: environment, scheme: "API 2.0"),
                clientSecret: try required(MimecastEnvironment.clientSecret, in: environment, scheme: "API 2.0")
            )
        case (true, false):
            let secretKey = try required(MimecastEnvironment.secretKey, in: environment, scheme: "API 1.0")
            guard Data(base64Encoded: secretKey) != nil else {
                throw ConfigurationError(AuthenticationAdvice.secretKeyNotBase64)
            }
            credentials = .hmac(
                appID: try required(MimecastEnvironment.appID, in: environment, scheme: "API 1.0"),
                appKey: try required(MimecastEnvironment.appKey, in: environment, scheme: "API 1.0"),
                accessKey: try required(MimecastEnvironment.accessKey, in: environment, scheme: "API 1.0"),
                secretKey: secretKey
            )
        }
        let baseURL = environment.setting(MimecastEnvironment.baseURL) ?? defaultBaseURL
        guard baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://") else {
            throw ConfigurationError("\(MimecastEnvironment.baseURL) must start with https://, e.g. \(defaultBaseURL)")
        }
        return MimecastConfiguration(baseURL: baseURL, credentials: credentials)
    }

    private static func required(_ name: String, in environment: SecretEnvironment, scheme: String) throws -> String {
        guard let value = try environment.secret(name) else {
            throw ConfigurationError("\(name) is not set (needed for Mimecast \(scheme) credentials); set it or \(name)_FILE")
        }
        return value
    }
}
