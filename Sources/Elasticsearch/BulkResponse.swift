import ShipperCore

/// One item of a bulk response, in request order.
struct BulkItemResult: Sendable, Equatable {
    var status: Int
    var errorType: String?
    var errorReason: String?

    init(status: Int, errorType: String? = nil, errorReason: String? = nil) {
        self.status = status
        self.errorType = errorType
        self.errorReason = errorReason
    }

    /// `status type: reason` for logs and errors.
    var summary: String {
        var text = "\(status)"
        if let errorType { text += " \(errorType)" }
        if let errorReason { text += ": \(ElasticsearchErrorBody.clip(errorReason))" }
        return text
    }
}

/// Reads the items of a bulk response filtered with `filter_path=errors,items.*.status,items.*.error`.
enum BulkResponseParser {
    struct Malformed: Error, Equatable {
        let detail: String
    }

    /// The items, which must be exactly `expected` many (one per document sent).
    static func items(_ body: [UInt8], expected: Int) throws(Malformed) -> [BulkItemResult] {
        if let statuses = CleanBulkResponse.statuses(body), statuses.count == expected {
            return statuses.map { BulkItemResult(status: $0) }
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse(body)
        } catch {
            throw Malformed(detail: "\(error)")
        }
        guard let items = root["items"]?.arrayValue else {
            throw Malformed(detail: "no items array")
        }
        guard items.count == expected else {
            throw Malformed(detail: "\(items.count) items for \(expected) documents")
        }
        var results: [BulkItemResult] = []
        results.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            // Each item is `{"<action>": {...}}`.
            guard let action = item.objectValue?.values.first, let status = action["status"]?.intValue else {
                throw Malformed(detail: "item \(position) has no status")
            }
            results.append(parseError(action["error"], status: status))
        }
        return results
    }

    private static func parseError(_ error: JSONValue?, status: Int) -> BulkItemResult {
        guard let error else { return BulkItemResult(status: status) }
        if let text = error.stringValue {
            return BulkItemResult(status: status, errorReason: text)
        }
        var reason = error["reason"]?.stringValue
        if let cause = error["caused_by"], let causeReason = cause["reason"]?.stringValue {
            let causeType = cause["type"]?.stringValue.map { "\($0): " } ?? ""
            reason = (reason.map { "\($0) " } ?? "") + "(caused by \(causeType)\(causeReason))"
        }
        return BulkItemResult(status: status, errorType: error["type"]?.stringValue, errorReason: reason)
    }
}
