#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperElasticsearch
import ShipperReport

/// Reads the data stream `run` fills, with its history beyond Mimecast's retention:
/// 1. a `terms` aggregation finds the accounts in `mimecast_access_logs` during the period;
/// 2. a point-in-time scan with `search_after`, sorted on `@timestamp` and `_shard_doc`, reads
///    only those accounts' events and only the fields the report needs, one page at a time;
/// 3. a second aggregation asks which of the sessions' source addresses appear before the period.
public struct ElasticsearchReportReader: ReportEventReader {
    public let client: ElasticsearchClient
    public let dataStream: String
    public var pageSize = 1_000

    static let accountLimit = 10_000

    public init(client: ElasticsearchClient, dataStream: String) {
        self.client = client
        self.dataStream = dataStream
    }

    public var description: String { "Elasticsearch \(client.redactedBaseURL) data stream \(dataStream)" }

    public func report(period: TimeWindow, sessionGap: TimeInterval) async throws -> AccessReport {
        var scan = PointInTimeScan(client: client, index: dataStream)
        scan.pageSize = pageSize
        let accounts = try await supportAccounts(scan: scan, period: period)
        var builder = AccessReportBuilder(period: period, sessionGap: sessionGap, supportAccounts: accounts)
        try await scan.scan(query: ReportQueries.events(period: period, accounts: accounts), sourceIncludes: ReportEvent.sourceFields) { page in
            for document in page {
                if let event = ReportEvent(document: document) { builder.add(event) }
            }
        }
        let ips = builder.sourceIPs
        var seen: Set<String> = []
        if !ips.isEmpty {
            let answer = try await scan.search(body: ReportQueries.addressesSeen(before: period.start, among: ips))
            seen = Set(try ReportQueries.bucketKeys(answer, aggregation: "seen"))
        }
        return builder.finish(sourceDescription: description, previouslySeenIPs: seen)
    }

    private func supportAccounts(scan: PointInTimeScan, period: TimeWindow) async throws -> Set<String> {
        let answer: JSONValue
        do {
            answer = try await scan.search(body: ReportQueries.supportAccounts(period: period, limit: Self.accountLimit))
        } catch ElasticsearchError.unexpectedStatus(404, _, _) {
            throw ReportReadError.noDataStream(name: dataStream, url: client.redactedBaseURL)
        }
        if (answer["aggregations"]?["accounts"]?["sum_other_doc_count"]?.intValue ?? 0) > 0 {
            throw ReportReadError.tooManyAccounts(dataStream: dataStream)
        }
        return Set(try ReportQueries.bucketKeys(answer, aggregation: "accounts"))
    }
}

/// The request bodies of the Elasticsearch report, apart from I/O so they can be checked alone.
enum ReportQueries {
    static let accessCategory = "mimecast_access_logs"

    static func period(_ period: TimeWindow) -> JSONValue {
        .object(["range": .object(["@timestamp": .object([
            "gte": .string(Timestamp.iso8601(period.start)),
            "lt": .string(Timestamp.iso8601(period.end)),
            "format": .string("strict_date_optional_time"),
        ])])])
    }

    /// `size: 0` and a `terms` aggregation on `user.email` over the period's access logs.
    /// (Accounts known only by name are still found by the scan, which reads every access log.)
    static func supportAccounts(period: TimeWindow, limit: Int) -> JSONValue {
        .object([
            "size": .number(0),
            "query": .object(["bool": .object(["filter": .array([
                Self.period(period),
                .object(["term": .object(["mimecast.category": .string(accessCategory)])]),
            ])])]),
            "aggs": .object([
                "accounts": .object(["terms": .object(["field": .string("user.email"), "size": .number(Double(limit))])]),
            ]),
        ])
    }

    /// The period's access logs and every event of `accounts`.
    static func events(period: TimeWindow, accounts: Set<String>) -> JSONValue {
        var should: [JSONValue] = [.object(["term": .object(["mimecast.category": .string(accessCategory)])])]
        if !accounts.isEmpty {
            let names = JSONValue.array(accounts.sorted().map(JSONValue.string))
            should.append(.object(["terms": .object(["user.email": names])]))
        }
        return .object(["bool": .object(["filter": .array([
            Self.period(period),
            .object(["bool": .object(["should": .array(should), "minimum_should_match": .number(1)])]),
        ])])])
    }

    /// Which of `addresses` appear as `source.ip` before `start`.
    static func addressesSeen(before start: Date, among addresses: Set<String>) -> JSONValue {
        .object([
            "size": .number(0),
            "query": .object(["bool": .object(["filter": .array([
                .object(["range": .object(["@timestamp": .object([
                    "lt": .string(Timestamp.iso8601(start)), "format": .string("strict_date_optional_time"),
                ])])]),
                .object(["terms": .object(["source.ip": .array(addresses.sorted().map(JSONValue.string))])]),
            ])])]),
            "aggs": .object(["seen": .object(["terms": .object([
                "field": .string("source.ip"), "size": .number(Double(max(addresses.count, 1))),
            ])])]),
        ])
    }

    static func bucketKeys(_ answer: JSONValue, aggregation: String) throws -> [String] {
        guard let buckets = answer["aggregations"]?[aggregation]?["buckets"]?.arrayValue else {
            throw ElasticsearchError.malformedResponse(request: "POST /_search", detail: "no aggregations.\(aggregation).buckets")
        }
        return buckets.compactMap { $0["key"]?.stringValue }
    }
}
