/// Which of Mimecast's two authentication schemes a deployment uses, with the secrets it needs.
///
/// An enum rather than optional fields so a half-configured mix of both schemes cannot exist
/// past configuration loading. `description` names the scheme and the non-secret identifiers
/// only, so the value can be logged or put into an error safely.
public enum MimecastCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// API 2.0: OAuth 2.0 client credentials.
    case oauth(clientID: String, clientSecret: String)
    /// API 1.0: HMAC-SHA1 request signing. `secretKey` is base64, as Mimecast issues it.
    case hmac(appID: String, appKey: String, accessKey: String, secretKey: String)

    public var description: String {
        switch self {
        case .oauth(let clientID, _):
            "API 2.0 OAuth client credentials (client id \(Self.abbreviated(clientID)))"
        case .hmac(let appID, _, _, _):
            "API 1.0 HMAC credentials (application id \(Self.abbreviated(appID)))"
        }
    }

    public var debugDescription: String { description }

    /// `dump` and debuggers see the description only, never the associated secrets.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    /// Identifiers are not secrets, but a short prefix is all a log reader needs to tell them apart.
    private static func abbreviated(_ identifier: String) -> String {
        identifier.count <= 8 ? identifier : String(identifier.prefix(8)) + "…"
    }
}

/// The environment variable names that are part of the product's contract.
public enum MimecastEnvironment {
    public static let baseURL = "MIMECAST_BASE_URL"
    public static let clientID = "MIMECAST_CLIENT_ID"
    public static let clientSecret = "MIMECAST_CLIENT_SECRET"
    public static let appID = "MIMECAST_APP_ID"
    public static let appKey = "MIMECAST_APP_KEY"
    public static let accessKey = "MIMECAST_ACCESS_KEY"
    public static let secretKey = "MIMECAST_SECRET_KEY"

    public static let oauthVariables = [clientID, clientSecret]
    public static let hmacVariables = [appID, appKey, accessKey, secretKey]
}
