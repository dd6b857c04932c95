import ShipperCore

/// Reads every document a query matches, in `@timestamp` order, with a point in time and
/// `search_after`: the way Elasticsearch recommends for reading more than a page. Deep `from`
/// paging stops at 10,000 hits and `_id` cannot be sorted on (field data on `_id` is disabled);
/// `_shard_doc`, the tiebreaker a point in time provides, gives a total order for free.
///
/// One page (`pageSize` hits, only `sourceIncludes`) is in memory at a time. The point in time is
/// closed at the end, also when the read fails or the consumer throws.
public struct PointInTimeScan: Sendable {
    public let client: ElasticsearchClient
    /// Index, data stream or pattern to read.
    public let index: String
    public var pageSize = 1_000
    /// How long Elasticsearch keeps the point in time between two pages.
    public var keepAlive = "2m"

    public init(client: ElasticsearchClient, index: String) {
        self.client = client
        self.index = index
    }

    static let privilegeHint = "the credentials need the 'read' and 'view_index_metadata' index privileges on the data stream to open a point in time and search it"

    /// Calls `consume` with each page's `_source` objects, oldest first.
    public func scan(
        query: JSONValue,
        sourceIncludes: [String],
        consume: ([JSONValue]) async throws -> Void
    ) async throws {
        let pointInTime = try await open()
        do {
            var id = pointInTime
            var after: JSONValue?
            while true {
                let page = try await search(pointInTime: id, after: after, query: query, sourceIncludes: sourceIncludes)
                id = page.pointInTime ?? id
                if page.sources.isEmpty { break }
                try await consume(page.sources)
                guard let last = page.lastSort else { break }
                after = last
                if page.sources.count < pageSize { break }
            }
            await close(id)
        } catch {
            await close(pointInTime)
            throw error
        }
    }

    /// `POST /<index>/_pit?keep_alive=…`: the point in time's id.
    func open() async throws -> String {
        let response = try await client.send(.post, "/\(index)/_pit?keep_alive=\(keepAlive)")
        try client.requireSuccess(response, privilegeHint: Self.privilegeHint)
        guard let id = (try? JSONValue.parse(response.body))?["id"]?.stringValue else {
            throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: "no point-in-time id")
        }
        return id
    }

    struct Page {
        var sources: [JSONValue]
        var lastSort: JSONValue?
        var pointInTime: String?
    }

    /// The body of one `POST /_search` (no index in the path: the point in time names it).
    func searchBody(pointInTime: String, after: JSONValue?, query: JSONValue, sourceIncludes: [String]) -> JSONValue {
        var body: [String: JSONValue] = [
            "size": .number(Double(pageSize)),
            "query": query,
            "_source": .object(["includes": .array(sourceIncludes.map(JSONValue.string))]),
            "sort": .array([
                .object(["@timestamp": .object(["order": .string("asc")])]),
                .object(["_shard_doc": .object(["order": .string("asc")])]),
            ]),
            "pit": .object(["id": .string(pointInTime), "keep_alive": .string(keepAlive)]),
            "track_total_hits": .bool(false),
        ]
        if let after { body["search_after"] = after }
        return .object(body)
    }

    private func search(pointInTime: String, after: JSONValue?, query: JSONValue, sourceIncludes: [String]) async throws -> Page {
        let body = searchBody(pointInTime: pointInTime, after: after, query: query, sourceIncludes: sourceIncludes)
        let response = try await client.send(.post, "/_search", body: body.serialized())
        try client.requireSuccess(response, privilegeHint: Self.privilegeHint)
        guard let parsed = try? JSONValue.parse(response.body), let hits = parsed["hits"]?["hits"]?.arrayValue else {
            throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: "no hits.hits array")
        }
        var sources: [JSONValue] = []
        sources.reserveCapacity(hits.count)
        for hit in hits {
            sources.append(hit["_source"] ?? .object([:]))
        }
        return Page(sources: sources, lastSort: hits.last?["sort"], pointInTime: parsed["pit_id"]?.stringValue)
    }

    /// `DELETE /_pit`; a failure only costs the cluster memory until `keepAlive` passes, so it
    /// never hides the result (or the error) of the read.
    private func close(_ id: String) async {
        let body = JSONValue.object(["id": .string(id)]).serialized()
        _ = try? await client.send(.delete, "/_pit", body: body)
    }

    /// `POST /<index>/_search` with `body` (e.g. an aggregation with `size: 0`), parsed.
    public func search(body: JSONValue) async throws -> JSONValue {
        let response = try await client.send(.post, "/\(index)/_search", body: body.serialized())
        try client.requireSuccess(response, privilegeHint: Self.privilegeHint)
        guard let parsed = try? JSONValue.parse(response.body) else {
            throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: "not JSON")
        }
        return parsed
    }
}
