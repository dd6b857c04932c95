import ShipperHTTP

/// The decisions of the bulk protocol, as pure functions of a status, so every path is tested
/// without a server.
enum BulkClassification {
    enum Item: Equatable {
        /// 2xx: written.
        case stored
        /// 409 on `create`: the `_id` already exists, which for a shipper means already stored.
        case duplicate
        /// 429 (rejected execution, circuit breaker, flood-stage block) and 5xx: send it again later.
        case retry
        /// Other 4xx (mapping errors, 403, 404): retrying cannot help; dead-letter it.
        case permanent
    }

    enum Request: Equatable {
        /// 2xx: read the items.
        case readItems
        /// 413: the body is over `http.max_content_length`; split it.
        case split
        /// 429, 502, 503, 504: the cluster is busy or unreachable; resend the whole batch.
        case retry
        /// 401, 403: credentials or privileges; stop.
        case authentication
        /// Anything else: stop with the status.
        case fail
    }

    static func item(status: Int) -> Item {
        switch status {
        case 200..<300: .stored
        case 409: .duplicate
        case 429, 500..<600: .retry
        default: .permanent
        }
    }

    static func request(status: Int) -> Request {
        switch status {
        case 200..<300: .readItems
        case 413: .split
        case 429, 502, 503, 504: .retry
        case 401, 403: .authentication
        default: .fail
        }
    }

    /// Transport failures worth another attempt: timeouts, resets, refused connections.
    static func isRetryable(_ error: any Error) -> Bool {
        (error as? HTTPClientError)?.isTransient ?? false
    }

    /// True when a 429 looks like the disk flood-stage block, which only an operator can lift.
    static func looksLikeWriteBlock(_ item: BulkItemResult) -> Bool {
        item.errorType == "cluster_block_exception"
            || (item.errorReason?.contains("flood") ?? false)
            || (item.errorReason?.contains("read-only") ?? false)
    }
}
