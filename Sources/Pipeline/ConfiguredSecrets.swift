#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperElasticsearch
import ShipperMimecast

/// Collects every secret a command was configured with, in every form it is sent in, into the
/// `SecretRedactor` that scrubs the command's output. Called once at start, before the first
/// request, by run, check and install-template alike.
public enum ConfiguredSecrets {
    /// Variables whose values are secrets (each may also come from `<NAME>_FILE`).
    static let secretVariables = [
        MimecastEnvironment.clientSecret, MimecastEnvironment.appKey, MimecastEnvironment.accessKey, MimecastEnvironment.secretKey,
        EnvironmentName.apiKey, EnvironmentName.password,
    ]

    public static func register(
        environment: [String: String],
        overrides: ElasticsearchOverrides,
        mimecastBaseURL: String? = nil,
        into redactor: SecretRedactor = .shared
    ) {
        for secret in values(environment: environment, overrides: overrides, mimecastBaseURL: mimecastBaseURL) {
            redactor.register(secret)
        }
    }

    /// The secrets themselves plus what is derived from them on the wire: `user:password` (the
    /// basic `Authorization` header is its base64), an API key's `id:key` and key, and the
    /// user-info of URL settings.
    static func values(environment: [String: String], overrides: ElasticsearchOverrides, mimecastBaseURL: String?) -> [String] {
        let source = SecretEnvironment(environment)
        var secrets: [String] = []
        for name in secretVariables {
            if let value = try? source.secret(name) { secrets.append(value) }
        }
        if let key = overrides.apiKey { secrets.append(key) }
        if let password = overrides.password { secrets.append(password) }

        for key in [overrides.apiKey, try? source.secret(EnvironmentName.apiKey)].compactMap({ $0 }) {
            let trimmed = key.trimmingWhitespaceAndNewlines()
            let pair = trimmed.contains(":") ? trimmed
                : Data(base64Encoded: trimmed).flatMap { String(data: $0, encoding: .utf8) }
            if let pair, let colon = pair.firstIndex(of: ":") {
                secrets += [pair, String(pair[pair.index(after: colon)...])]
            }
        }
        let username = overrides.username ?? (try? source.secret(EnvironmentName.username))
        for password in [overrides.password, try? source.secret(EnvironmentName.password)].compactMap({ $0 }) {
            if let username { secrets.append("\(username):\(password)") }
        }
        let urls = [overrides.url, source.setting(EnvironmentName.url), mimecastBaseURL, source.setting(MimecastEnvironment.baseURL)]
        for url in urls.compactMap({ $0 }) {
            secrets += userInfoSecrets(in: url)
        }
        return secrets
    }

    /// `user:password` and `password` from `scheme://user:password@host`, as written and decoded.
    static func userInfoSecrets(in url: String) -> [String] {
        guard let scheme = url.firstRange(of: "://") else { return [] }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { !"/?#".contains($0) }
        guard let at = authority.lastIndex(of: "@") else { return [] }
        let userInfo = String(authority[..<at])
        var found = [userInfo]
        if let colon = userInfo.firstIndex(of: ":") {
            found.append(String(userInfo[userInfo.index(after: colon)...]))
        }
        for value in found {
            if let decoded = PercentEncoding.decoded(value), decoded != value { found.append(decoded) }
        }
        return found
    }
}
