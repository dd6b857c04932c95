#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// One entry of Mimecast's `fail` array: what the API itself said went wrong.
public struct MimecastFailure: Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let retryable: Bool

    public init(code: String, message: String, retryable: Bool = false) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message.isEmpty ? code : "\(code): \(message)" }
}

/// Why reading from Mimecast stopped. Each case says what the user can do next; none carries a
/// credential, token or signature.
public enum MimecastError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A 2xx answer whose `fail` array is not empty, or a 4xx that carried one.
    case apiFailure(path: String, status: Int, failures: [MimecastFailure])
    /// An HTTP status the reader does not retry and that is not an authentication problem.
    case httpStatus(path: String, status: Int, detail: String)
    /// 5xx, network errors or rate limiting persisted through every allowed attempt.
    case retriesExhausted(path: String, attempts: Int, lastProblem: String)
    /// 401/403 or a rejected token request: the user must fix credentials, permissions or the base URL.
    case configuration(String)
    /// The answer was not the JSON shape the API documents.
    case malformedResponse(path: String, detail: String)
    /// Waiting out another 429 would pass the cap on rate-limit waits per pass.
    case rateLimitWaitCapReached(path: String, waited: Duration, requested: Duration, cap: Duration)

    /// True when retrying cannot help and the CLI should exit as for a configuration error.
    public var isConfigurationProblem: Bool {
        if case .configuration = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .apiFailure(let path, let status, let failures):
            let list = failures.map(\.description).joined(separator: "; ")
            return "Mimecast \(path) failed (HTTP \(status)): \(list.isEmpty ? "no details given" : list)"
        case .httpStatus(let path, let status, let detail):
            return "Mimecast \(path) answered HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)"); check \(MimecastEnvironment.baseURL) and the request"
        case .retriesExhausted(let path, let attempts, let lastProblem):
            return "Mimecast \(path) still failing after \(attempts) attempts (last: \(lastProblem)); try again later"
        case .configuration(let message):
            return message
        case .malformedResponse(let path, let detail):
            return "Mimecast \(path) returned an unexpected response: \(detail)"
        case .rateLimitWaitCapReached(let path, let waited, let requested, let cap):
            let seconds = { (duration: Duration) in CFormat.string("%.0f s", duration.secondsDouble) }
            return "Mimecast \(path) is rate limiting (HTTP 429): this pass waited \(seconds(waited)) already and another \(seconds(requested)) would pass the cap of \(seconds(cap)) on rate-limit waits per pass (--max-rate-limit-wait, MIMECAST_SHIPPER_MAX_RATE_LIMIT_WAIT); stopping the pass with only settled events checkpointed, the next run continues from there"
        }
    }
}
