import ShipperCore

extension BulkIndexer: RetryCounting {
    /// Documents and requests sent again so far, including those of batches that failed.
    public var retriesSoFar: Int { totals.retries }
}
