/// How many documents, and how many bytes of them, go into one `_bulk` request. One definition
/// for the job that cuts batches, the indexer that sends them and the `--batch-size` default, so
/// the three can never disagree. The defaults follow Beats and Logstash.
public struct BatchLimits: Sendable, Equatable {
    public var documents: Int
    public var bytes: Int

    public init(documents: Int, bytes: Int) {
        self.documents = documents
        self.bytes = bytes
    }

    public static let `default` = BatchLimits(documents: 1_000, bytes: 5 * 1024 * 1024)
}
