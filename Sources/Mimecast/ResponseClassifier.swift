#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperHTTP

/// What the reader should do with an HTTP answer, decided from status and headers alone.
///
/// Pure, so the retry rules (which statuses wait, which retry, which stop the run) are unit-tested
/// without a server.
enum ResponseDisposition: Equatable, Sendable {
    case success
    /// 429: wait as long as the headers say (nil: they said nothing usable), then repeat the request.
    case rateLimited(wait: Duration?)
    /// 5xx or 408: retry with backoff.
    case transient
    case unauthorized
    case forbidden
    /// API 1.0 binding (access/secret key) past its time to live.
    case bindingExpired
    case otherFailure

    static func classify(_ response: HTTPResponse) -> ResponseDisposition {
        switch response.status {
        case 200..<300: .success
        case 429: .rateLimited(wait: RateLimitHeaders.wait(in: response.headers))
        case 401: .unauthorized
        case 403: .forbidden
        case 418: .bindingExpired
        case 408, 500..<600: .transient
        default: .otherFailure
        }
    }
}

/// Reads how long a 429 asks the client to wait.
enum RateLimitHeaders {
    /// `X-RateLimit-Reset` (some API 2.0 answers spell it `X-Rate-Limit-Reset`; names compare
    /// case-insensitively) in milliseconds until the window resets, else `Retry-After` in seconds,
    /// else nil. Negative or unparsable values count as absent.
    static func wait(in headers: HTTPHeaders) -> Duration? {
        for name in ["X-RateLimit-Reset", "X-Rate-Limit-Reset"] {
            if let text = headers[name], let milliseconds = Double(text.trimmingWhitespace()),
               milliseconds >= 0, milliseconds.isFinite {
                return .secondsDouble(milliseconds / 1000)
            }
        }
        if let text = headers["Retry-After"], let seconds = Double(text.trimmingWhitespace()),
           seconds >= 0, seconds.isFinite {
            return .secondsDouble(seconds)
        }
        return nil
    }
}
