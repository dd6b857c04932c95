import Logging
import ShipperCore
import ShipperHTTP

/// Elasticsearch did not answer: the pass ends at once (exit 1) with the URL and what failed,
/// instead of spending its retry budget on a cluster that is not there.
public struct ElasticsearchUnavailable: Error, CustomStringConvertible, Sendable, Equatable {
    public let url: String
    /// "connection refused", "DNS lookup failed", "TLS handshake failed", "no answer within 10 s"...
    public let problem: String

    public init(url: String, problem: String) {
        self.url = url
        self.problem = problem
    }

    public var description: String {
        "Elasticsearch at \(url) is unreachable: \(problem); check ELASTICSEARCH_URL (or ELASTICSEARCH_CLOUD_ID) and that the cluster is up"
    }
}

/// The check a pass makes before reading anything: does the cluster answer at all? One `GET /`
/// with short timeouts. Any HTTP answer but 401 and 502-504 counts (the shipper's least-privilege
/// role may not read `GET /`: a 403 still proves the cluster is there).
public struct ElasticsearchPreflight: Sendable {
    public static let connectTimeout: Duration = .seconds(5)
    public static let totalTimeout: Duration = .seconds(10)

    private let client: ElasticsearchClient

    public init(client: ElasticsearchClient) {
        self.client = client
    }

    /// A preflight over its own short-timeout connection to the configured cluster.
    public init(configuration: ElasticsearchConfiguration, logger: Logger) throws {
        var http = configuration.httpClientConfiguration
        http.connectTimeout = Self.connectTimeout
        http.totalTimeout = Self.totalTimeout
        self.init(client: ElasticsearchClient(configuration: configuration, transport: try CurlHTTPClient(configuration: http, logger: logger)))
    }

    public func check() async throws {
        let response: ElasticsearchResponse
        do {
            response = try await client.send(.get, "/")
        } catch let error as HTTPClientError {
            if case .cancelled = error { throw error }
            throw ElasticsearchUnavailable(url: client.redactedBaseURL, problem: Self.problem(error))
        }
        switch response.status {
        case 401:
            try client.checkAuthorized(response, privilegeHint: "")
        case 502, 503, 504:
            throw ElasticsearchUnavailable(url: client.redactedBaseURL, problem: "it answered HTTP \(response.status) (\(ElasticsearchErrorBody.summary(response.body)))")
        default:
            return
        }
    }

    /// What failed, in the words the user looks for: refused, DNS, TLS, timeout.
    public static func problem(_ error: HTTPClientError) -> String {
        switch error {
        case .dnsResolution(let message): "DNS lookup failed (\(message))"
        case .connect(let message):
            message.lowercased().contains("refused") ? "connection refused (\(message))" : "connection failed (\(message))"
        case .tls(let message): "TLS handshake failed (\(message)); set ELASTICSEARCH_CA_CERT if the cluster uses a private CA"
        case .timeout: "no answer within \(Int(totalTimeout.secondsDouble)) s (timed out)"
        default: error.description
        }
    }
}
