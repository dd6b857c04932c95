#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Mimecast host does not resolve or refuses connections: almost always a wrong
/// `MIMECAST_BASE_URL` (or a network that blocks it), which waiting will not fix, so the reader
/// says so after one short retry instead of backing off for half a minute.
public struct MimecastUnreachable: Error, CustomStringConvertible, Sendable, Equatable {
    public let host: String
    /// What failed, e.g. "DNS lookup failed" or "connection refused".
    public let problem: String

    public init(baseURL: String, problem: String) {
        self.host = URL(string: baseURL)?.host ?? baseURL
        self.problem = problem
    }

    public var description: String {
        "cannot reach \(host): check \(MimecastEnvironment.baseURL) (\(problem))"
    }
}
