/// What went wrong below HTTP, so callers can decide whether to retry and users can see which
/// layer failed. Messages come from curl and never include the request's headers or body, so
/// credentials cannot leak through an error.
public enum HTTPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String)
    /// The request itself cannot be sent as given (e.g. a header value with a line break).
    case invalidRequest(String)
    case dnsResolution(String)
    case proxy(String)
    case connect(String)
    case tls(String)
    case timeout(String)
    /// The response body exceeded the configured cap (bytes).
    case responseTooLarge(limit: Int)
    /// The connection broke while sending or receiving (reset, closed mid-body).
    case connectionLost(String)
    case cancelled
    /// Any other curl failure: its numeric code and message.
    case transfer(code: Int, message: String)

    /// Failures where another attempt may well succeed.
    public var isTransient: Bool {
        switch self {
        case .dnsResolution, .connect, .timeout, .connectionLost, .proxy: true
        case .transfer: true
        case .invalidURL, .invalidRequest, .tls, .responseTooLarge, .cancelled: false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let message): "invalid URL: \(message)"
        case .invalidRequest(let message): "invalid request: \(message)"
        case .dnsResolution(let message): "DNS resolution failed: \(message)"
        case .proxy(let message): "proxy failed: \(message)"
        case .connect(let message): "connection failed: \(message)"
        case .tls(let message): "TLS failed: \(message) (set a CA bundle if the server uses a private CA)"
        case .timeout(let message): "timed out: \(message)"
        case .responseTooLarge(let limit): "response body exceeded the \(limit)-byte limit"
        case .connectionLost(let message): "connection lost: \(message)"
        case .cancelled: "request cancelled"
        case .transfer(let code, let message): "transfer failed (curl \(code)): \(message)"
        }
    }
}
