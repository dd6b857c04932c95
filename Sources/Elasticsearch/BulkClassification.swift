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
        /// 400 about the document itself (mapping, parsing): retrying cannot help; dead-letter it.
        case permanent
        /// Refused for a reason outside the document (403 privileges or a write block, 404, an
        /// index-level 400, any status not listed here): fail the call, keep the checkpoint.
        case refused
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

    static func item(status: Int, errorType: String? = nil) -> Item {
        switch status {
        case 200..<300: .stored
        case 409: .duplicate
        case 429, 500..<600: .retry
        case 400: indexLevelErrorTypes.contains(errorType ?? "") ? .refused : .permanent
        default: .refused
        }
    }

    /// 400 error types that describe the index, not the document: dead-lettering would only
    /// hide a cluster problem.
    static let indexLevelErrorTypes: Set<String> = [
        "index_closed_exception", "cluster_block_exception", "index_not_found_exception", "invalid_index_name_exception",
        "security_exception",
    ]

    /// What to do about a refused item, in one clause for the error line.
    static func advice(status: Int, errorType: String?, dataStream: String) -> String {
        switch (status, errorType) {
        case (_, "cluster_block_exception"):
            "an index write block is set on \(dataStream)'s write index; an operator must lift it (index.blocks.write or read_only_allow_delete, often after freeing disk space)"
        case (403, _):
            "the API key or user needs the 'create_doc' and 'auto_configure' index privileges on logs-mimecast.* (and 'read' for the existence check)"
        case (404, _), (_, "index_not_found_exception"):
            "the data stream \(dataStream) or its backing index is missing and was not created; run install-template and check the 'auto_configure' privilege"
        case (_, "index_closed_exception"):
            "the write index of \(dataStream) is closed; open it or roll the data stream over"
        default:
            "status \(status) is not one the shipper knows how to settle; check the cluster's logs"
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

    /// A transport failure after which the cluster may have stored (some of) the batch: the
    /// request may have arrived. Not so when the connection never opened.
    static func mayHaveReachedTheCluster(_ error: any Error) -> Bool {
        switch error as? HTTPClientError {
        case .connect?, .dnsResolution?, .proxy?: false
        default: true
        }
    }

    /// True when a 429 looks like the disk flood-stage block, which only an operator can lift.
    static func looksLikeWriteBlock(_ item: BulkItemResult) -> Bool {
        item.errorType == "cluster_block_exception"
            || (item.errorReason?.contains("flood") ?? false)
            || (item.errorReason?.contains("read-only") ?? false)
    }
}
