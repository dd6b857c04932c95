import ShipperCore

/// What stops a run or a template installation. Every description is one line that names what
/// failed and what to do, and never carries a credential.
public enum ElasticsearchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 401 (credentials) or 403 (privileges) on a request.
    case authentication(status: Int, url: String, hint: String)
    /// Retries went on for the whole budget; `settledDocuments` leading documents of the failed
    /// `ship` call (whole batches) were settled before it.
    case retryBudgetExhausted(budget: Duration, pendingDocuments: Int, lastProblem: String, settledDocuments: Int)
    /// A status the shipper has no safe way to handle.
    case unexpectedStatus(status: Int, request: String, detail: String)
    /// The cluster is OpenSearch and the operation needs something only Elasticsearch has.
    case openSearchUnsupported(operation: String, missing: String)
    /// The cluster is older than `ClusterCompatibility.minimumVersion` (or not Elasticsearch);
    /// `detail` names both versions.
    case unsupportedCluster(detail: String)
    /// A 2xx response whose body is not what Elasticsearch sends.
    case malformedResponse(request: String, detail: String)
    /// `_simulate_index` shows a new backing index would not get the installed settings.
    case verificationFailed(dataStream: String, detail: String)
    /// Bulk items refused for a reason that is not about the document (privileges, a missing
    /// index, a write block, a status the shipper does not know): nothing is dead-lettered and the
    /// checkpoint stays, so the same events are sent again once `advice` is followed.
    case itemsRefused(status: Int, count: Int, detail: String, advice: String)

    public var description: String {
        let text = multiLineDescription
        guard text.contains(where: \.isNewline) else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private var multiLineDescription: String {
        switch self {
        case .authentication(let status, let url, let hint):
            if status == 403 {
                return "Elasticsearch at \(url) refused the request (403, insufficient privileges): \(hint)"
            }
            return "Elasticsearch at \(url) rejected the credentials (401): \(hint)"
        case .retryBudgetExhausted(let budget, let pending, let lastProblem, let settled):
            return "gave up after the retry budget of \(Self.format(budget)) with \(pending) document(s) not stored (\(settled) settled before); last problem: \(lastProblem); check the cluster's health and disk space, then run again (stored documents are not duplicated)"
        case .unexpectedStatus(let status, let request, let detail):
            return "Elasticsearch answered \(status) to \(request): \(detail)"
        case .openSearchUnsupported(let operation, let missing):
            return "\(operation) is not supported against OpenSearch: it needs \(missing), which OpenSearch does not have; use Elasticsearch 8.x or 9.x, or create an equivalent template by hand"
        case .unsupportedCluster(let detail):
            return detail
        case .malformedResponse(let request, let detail):
            return "Elasticsearch sent an unreadable response to \(request): \(detail)"
        case .itemsRefused(let status, let count, let detail, let advice):
            return "Elasticsearch refused \(count) document(s) with status \(status) (\(detail)); \(advice); nothing was dead-lettered and the checkpoint did not move, so the next run sends them again"
        case .verificationFailed(let dataStream, let detail):
            return "the templates are installed but a new backing index of \(dataStream) would not use them: \(detail); check for a higher-priority index template matching \(dataStream)"
        }
    }

    static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.secondsDouble.rounded())
        if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
