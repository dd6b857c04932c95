/// The one-line messages for answers that only the user can fix (401, 403, 418, refused tokens).
/// Pure and free of secrets: they name environment variables, never their values.
enum AuthenticationAdvice {
    static func rejected(_ credentials: MimecastCredentials, path: String, status: Int, failures: [MimecastFailure]) -> String {
        let said = detail(failures)
        switch credentials {
        case .oauth:
            return "Mimecast rejected the API 2.0 credentials at \(path) (HTTP \(status)\(said)); check \(MimecastEnvironment.clientID) and \(MimecastEnvironment.clientSecret), and that \(MimecastEnvironment.baseURL) is the API 2.0 host"
        case .hmac:
            return "Mimecast rejected the API 1.0 signature at \(path) (HTTP \(status)\(said)); check \(MimecastEnvironment.accessKey), \(MimecastEnvironment.secretKey), \(MimecastEnvironment.appID) and \(MimecastEnvironment.appKey), that \(MimecastEnvironment.baseURL) is your account's regional host, and that this machine's clock is correct"
        }
    }

    static func forbidden(_ credentials: MimecastCredentials, path: String, failures: [MimecastFailure]) -> String {
        let application = switch credentials {
        case .oauth: "the API 2.0 application of \(MimecastEnvironment.clientID)"
        case .hmac: "the API 1.0 application of \(MimecastEnvironment.appID) (and the user of \(MimecastEnvironment.accessKey))"
        }
        return "Mimecast denied access to \(path) (HTTP 403\(detail(failures))); give \(application) permission to read audit events"
    }

    static func bindingExpired(path: String) -> String {
        "Mimecast says the API 1.0 access key has expired (HTTP 418 at \(path)); create new keys and update \(MimecastEnvironment.accessKey) and \(MimecastEnvironment.secretKey)"
    }

    static let secretKeyNotBase64 = "\(MimecastEnvironment.secretKey) is not valid base64; copy the secret key exactly as Mimecast issued it"

    private static func detail(_ failures: [MimecastFailure]) -> String {
        failures.isEmpty ? "" : ": " + failures.map(\.description).joined(separator: "; ")
    }
}
