import ShipperCore

/// Limits and retry policy of the bulk indexer. The defaults follow Beats and Logstash: batches
/// of at most 5 MiB and 1,000 documents, gzip level 1, backoff 1 s to 60 s with full jitter, and
/// a 10-minute retry budget per run so a broken cluster ends the run instead of hanging it.
public struct BulkIndexerConfiguration: Sendable, Equatable {
    /// The data stream written with `create`.
    public var dataStream: String
    /// Upper bound of one bulk body before compression (a single larger document goes alone).
    public var maxBatchBytes: Int
    public var maxBatchDocuments: Int
    /// zlib level for the request body; 0 sends it uncompressed.
    public var gzipLevel: Int
    /// Total time the indexer may spend waiting between retries over its lifetime (one run).
    public var retryBudget: Duration
    public var backoff: ExponentialBackoff
    /// The shortest wait before looking up a batch whose outcome is unknown: documents become
    /// searchable only after a refresh (`index.refresh_interval`, 1 s by default), and the lookup
    /// is a search.
    public var refreshAllowance: Duration = .seconds(1)

    public static let defaultMaxBatchBytes = BatchLimits.default.bytes
    public static let defaultMaxBatchDocuments = BatchLimits.default.documents

    public init(
        dataStream: String,
        maxBatchBytes: Int = BulkIndexerConfiguration.defaultMaxBatchBytes,
        maxBatchDocuments: Int = BulkIndexerConfiguration.defaultMaxBatchDocuments,
        gzipLevel: Int = 1,
        retryBudget: Duration = .seconds(600),
        backoff: ExponentialBackoff = ExponentialBackoff(base: .seconds(1), cap: .seconds(60))
    ) {
        self.dataStream = dataStream
        self.maxBatchBytes = max(1, maxBatchBytes)
        self.maxBatchDocuments = max(1, maxBatchDocuments)
        self.gzipLevel = min(max(gzipLevel, 0), 9)
        self.retryBudget = retryBudget
        self.backoff = backoff
    }

    /// The defaults for the data stream of `configuration`.
    public init(elasticsearch configuration: ElasticsearchConfiguration) {
        self.init(dataStream: configuration.dataStream)
    }
}
