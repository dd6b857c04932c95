import ShipperCore

/// The sink's bulk body encoder, reachable from the benchmark harness so its micro-benchmark times
/// the code the shipper runs rather than a copy of it.
///
/// Behind `@_spi(Benchmarks)` so the product's public API does not grow: only code that writes
/// `@_spi(Benchmarks) import ShipperElasticsearch` sees it.
@_spi(Benchmarks) public enum BenchmarkAccess {
    /// The NDJSON `_bulk` body of `documents`, exactly as `BulkIndexer` encodes a batch.
    public static func bulkBody(_ documents: [MappedDocument]) -> [UInt8] {
        BulkRequestBody.encode(documents, indices: Array(documents.indices))
    }
}
