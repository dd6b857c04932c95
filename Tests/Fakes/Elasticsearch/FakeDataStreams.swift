import ShipperCore

/// One backing index of a data stream: `.ds-<data stream>-<date>-<generation>`.
struct FakeBackingIndex: Sendable {
    var name: String
    var documents: [String: [UInt8]] = [:]
}

/// A `_search` request as received, for assertions.
public struct FakeSearchRecord: Sendable, Equatable {
    public var target: String
    /// The `_id`s of the `ids` query.
    public var ids: [String]
    public var status: Int
}

/// Data streams as Elasticsearch keeps them: backing indices, each its own `_id` space, so a
/// `create` with an `_id` that exists in an older backing index succeeds again after a rollover
/// (which the fake does after a configurable number of documents, or on `POST /<ds>/_rollover`).
/// And the `_search` the shipper uses to find which `_id`s a data stream already holds.
extension FakeElasticsearchState {
    static func backingIndexName(dataStream: String, generation: Int) -> String {
        ".ds-\(dataStream)-2024.05.02-" + String(repeating: "0", count: max(0, 6 - String(generation).count)) + String(generation)
    }

    /// Stores a document in the write index of `dataStream` (creating the stream when new); nil
    /// when the write index already holds `id` (unless `force`). Rolls over when the write index
    /// reaches `rolloverAfterDocuments`.
    mutating func createInWriteIndex(dataStream: String, id: String, source: [UInt8], force: Bool = false) -> String? {
        if backingIndices[dataStream]?.isEmpty ?? true {
            backingIndices[dataStream] = [FakeBackingIndex(name: Self.backingIndexName(dataStream: dataStream, generation: 1))]
        }
        let last = backingIndices[dataStream]!.count - 1
        guard force || backingIndices[dataStream]![last].documents[id] == nil else { return nil }
        backingIndices[dataStream]![last].documents[id] = source
        documents[dataStream, default: [:]][id] = source
        let name = backingIndices[dataStream]![last].name
        if let limit = rolloverAfterDocuments, backingIndices[dataStream]![last].documents.count >= limit {
            rollover(dataStream: dataStream)
        }
        return name
    }

    mutating func rollover(dataStream: String) {
        let generation = (backingIndices[dataStream]?.count ?? 0) + 1
        backingIndices[dataStream, default: []].append(
            FakeBackingIndex(name: Self.backingIndexName(dataStream: dataStream, generation: generation)))
        documents[dataStream, default: [:]] = documents[dataStream] ?? [:]
    }

    /// `POST /<target>/_search` and `POST /<target>/_rollover`; nil for other endpoints.
    mutating func dataStreamRequest(_ request: FakeRequest, target: String, endpoint: String) -> FakeResponse? {
        switch endpoint {
        case "_search":
            guard request.method == "POST" || request.method == "GET" else { return methodNotAllowed(request) }
            if forbidSearch {
                searchRecords.append(FakeSearchRecord(target: target, ids: [], status: 403))
                return .error(status: 403, type: "security_exception",
                              reason: "action [indices:data/read/search] is unauthorized for user [fake-user] with effective roles [writer] on indices [\(target)]")
            }
            let answer = search(request, target: target)
            searchRecords.append(FakeSearchRecord(target: target, ids: answer.ids, status: answer.response.status))
            return answer.response
        case "_rollover":
            guard request.method == "POST" else { return methodNotAllowed(request) }
            guard let old = backingIndices[target]?.last?.name else {
                return .error(status: 400, type: "illegal_argument_exception", reason: "rollover target [\(target)] does not exist")
            }
            rollover(dataStream: target)
            return .json(.object([
                "acknowledged": .bool(true), "shards_acknowledged": .bool(true), "old_index": .string(old),
                "new_index": .string(backingIndices[target]!.last!.name), "rolled_over": .bool(true), "dry_run": .bool(false),
                "conditions": .object([:]),
            ]))
        default:
            return nil
        }
    }

    /// Members of a search body the fake understands; Elasticsearch refuses unknown ones.
    private static let searchBodyKeys: Set<String> = ["query", "_source", "size", "from", "track_total_hits"]

    /// Searches one index or data stream (all its backing indices) with an `ids` query or none
    /// (match_all), honouring `size` (default 10), `from`, `_source`, `track_total_hits` and
    /// `filter_path` as Elasticsearch does.
    private func search(_ request: FakeRequest, target: String) -> (response: FakeResponse, ids: [String]) {
        func refuse(_ type: String, _ reason: String, status: Int = 400) -> (FakeResponse, [String]) {
            (.error(status: status, type: type, reason: reason), [])
        }
        var body: [String: JSONValue] = [:]
        if !request.body.isEmpty {
            guard let parsed = try? JSONValue.parse(request.body), let object = parsed.objectValue else {
                return refuse("parsing_exception", "request body or source parameter is required and must be a JSON object")
            }
            body = object
        }
        if let unknown = body.keys.sorted().first(where: { !Self.searchBodyKeys.contains($0) }) {
            return refuse("parsing_exception", "Unknown key for a START_OBJECT in [\(unknown)].")
        }
        var wanted: Set<String>?
        var idsInQuery: [String] = []
        if let query = body["query"] {
            guard let object = query.objectValue, object.count == 1, let ids = object["ids"] else {
                return refuse("illegal_argument_exception", "the fake implements only the ids query")
            }
            guard let idObject = ids.objectValue, Set(idObject.keys).isSubset(of: ["values", "boost"]),
                  let values = ids["values"]?.arrayValue else {
                return refuse("parsing_exception", "[ids] query malformed, no values array")
            }
            idsInQuery = values.compactMap(\.stringValue)
            guard idsInQuery.count == values.count else {
                return refuse("parsing_exception", "[ids] query values must be strings")
            }
            wanted = Set(idsInQuery)
        }
        let size = body["size"]?.intValue ?? 10
        let from = body["from"]?.intValue ?? 0
        guard size >= 0, from >= 0 else { return refuse("illegal_argument_exception", "[size] and [from] must be non-negative") }
        guard from + size <= 10_000 else {
            return refuse("illegal_argument_exception",
                          "Result window is too large, from + size must be less than or equal to: [10000] but was [\(from + size)].")
        }
        let indices: [FakeBackingIndex]
        if let backing = backingIndices[target] {
            indices = backing
        } else if let plain = documents[target] {
            indices = [FakeBackingIndex(name: target, documents: plain)]
        } else {
            return (.error(status: 404, type: "index_not_found_exception", reason: "no such index [\(target)]"), idsInQuery)
        }
        var matches: [(index: String, id: String, source: [UInt8])] = []
        for index in indices {
            for (id, source) in index.documents.sorted(by: { $0.key < $1.key }) where wanted?.contains(id) ?? true {
                matches.append((index.name, id, source))
            }
        }
        let includeSource = body["_source"]?.boolValue ?? true
        let hits: [JSONValue] = matches.dropFirst(from).prefix(size).map { match in
            var hit: [String: JSONValue] = ["_index": .string(match.index), "_id": .string(match.id), "_score": .number(1)]
            if includeSource { hit["_source"] = (try? JSONValue.parse(match.source)) ?? .null }
            return .object(hit)
        }
        var hitsObject: [String: JSONValue] = ["max_score": matches.isEmpty ? .null : .number(1), "hits": .array(hits)]
        if body["track_total_hits"]?.boolValue != false {
            hitsObject["total"] = .object(["value": .number(Double(matches.count)), "relation": .string("eq")])
        }
        let full: JSONValue = .object([
            "took": .number(1), "timed_out": .bool(false),
            "_shards": .object(["total": .number(Double(indices.count)), "successful": .number(Double(indices.count)),
                                "skipped": .number(0), "failed": .number(0)]),
            "hits": .object(hitsObject),
        ])
        return (.json(FakeFilterPath.apply(request.query["filter_path"], to: full)), idsInQuery)
    }
}

/// `filter_path` as Elasticsearch applies it: comma-separated dotted paths, `*` for any name;
/// arrays pass the filter to each element; what the filter empties disappears.
enum FakeFilterPath {
    static func apply(_ filter: String?, to value: JSONValue) -> JSONValue {
        guard let filter, !filter.isEmpty else { return value }
        let paths = filter.split(separator: ",").map { $0.split(separator: ".").map(String.init) }
        return keep(value, paths: paths) ?? .object([:])
    }

    private static func keep(_ value: JSONValue, paths: [[String]]) -> JSONValue? {
        if paths.contains(where: \.isEmpty) { return value }
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members {
                let rest = paths.filter { $0[0] == key || $0[0] == "*" }.map { Array($0.dropFirst()) }
                guard !rest.isEmpty, let filtered = keep(member, paths: rest) else { continue }
                kept[key] = filtered
            }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let elements):
            let kept = elements.compactMap { keep($0, paths: paths) }
            return kept.isEmpty ? nil : .array(kept)
        default:
            return nil
        }
    }
}

extension FakeElasticsearch {
    /// Roll each data stream over once its write index holds `documents` documents; nil never.
    public func rolloverEvery(_ documents: Int?) {
        withState { $0.rolloverAfterDocuments = documents }
    }

    /// Rolls `dataStream` over now: later writes go to a new, empty backing index.
    public func rollover(dataStream: String) {
        withState { $0.rollover(dataStream: dataStream) }
    }

    /// Every stored copy in `dataStream`'s backing indices: an `_id` stored twice (in two backing
    /// indices) appears twice.
    public func storedCopies(in dataStream: String) -> [(backingIndex: String, id: String, source: [UInt8])] {
        withState { state in
            (state.backingIndices[dataStream] ?? []).flatMap { index in
                index.documents.map { (index.name, $0.key, $0.value) }
            }
        }
    }

    /// Names of `dataStream`'s backing indices, oldest first.
    public func backingIndexNames(of dataStream: String) -> [String] {
        withState { $0.backingIndices[dataStream]?.map(\.name) ?? [] }
    }

    /// The next bulk request is processed (its items stored or refused as usual) but answered
    /// `status` as a whole, as when a proxy times out after the cluster did the work.
    public func storeThenFailNextBulkRequest(status: Int) {
        withState { $0.storeThenFail.append(status) }
    }

    /// Answer 403 to `_search`, as for credentials without the `read` privilege.
    public func forbidSearch(_ forbidden: Bool = true) {
        withState { $0.forbidSearch = forbidden }
    }

    /// Forgets the failures `failItems` injected.
    public func clearItemFailures() {
        withState { $0.permanentItemFailures.removeAll() }
    }

    /// Every `_search` request received, in order.
    public var searchRequests: [FakeSearchRecord] { withState { $0.searchRecords } }
}
