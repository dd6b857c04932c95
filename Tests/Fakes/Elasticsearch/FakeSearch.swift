import Foundation
import ShipperCore

/// The search subset the `report` command uses, answered as Elasticsearch answers it: open and
/// close a point in time, `_search` with `pit` + `search_after` + `_source` filtering, and
/// `terms` aggregations with `size: 0`. What Elasticsearch refuses, the fake refuses with the
/// same status and error type: an index in the path together with a `pit`, `_shard_doc` without
/// a point in time, sorting on `_id`, `from` with `search_after`, a result window over 10,000,
/// a missing `keep_alive`, an unknown or expired point in time. Queries: `match_all`, `bool`
/// (`filter`/`must`/`must_not`/`should`), `range` on `@timestamp`, `term`, `terms`, `ids`.
/// Anything else is refused loudly rather than guessed at.
struct FakeSearchState {
    /// Open points in time by id: the documents as they were when it was opened.
    var pointsInTime: [String: [FakeHit]] = [:]
    var pointInTimeCounter = 0
    /// Every `_search` body received, for assertions.
    var searchBodies: [JSONValue] = []
    var pointInTimeOpens = 0
    var pointInTimeCloses = 0
}

/// One stored document inside a point in time; `shardDoc` is its `_shard_doc` tiebreaker.
struct FakeHit {
    let index: String
    let id: String
    let source: JSONValue
    let shardDoc: Int
    let timestampMillis: Int?
}

private struct SearchRefusal: Error {
    let response: FakeResponse

    init(_ status: Int, _ type: String, _ reason: String) {
        response = .error(status: status, type: type, reason: reason)
    }
}

extension FakeElasticsearchState {
    /// Answers `/_pit`, `/<target>/_pit`, `/_search` and `/<target>/_search`; nil for other paths.
    mutating func searchRoute(_ request: FakeRequest, segments: [String]) -> FakeResponse? {
        let endpoint = segments.last ?? ""
        guard (endpoint == "_pit" || endpoint == "_search"), segments.count <= 2 else { return nil }
        let target = segments.count == 2 ? segments[0] : nil
        do {
            switch (endpoint, request.method) {
            case ("_pit", "POST") where target != nil:
                return try openPointInTime(target: target!, query: request.query)
            case ("_pit", "DELETE") where target == nil:
                return try closePointInTime(request.body)
            case ("_search", "POST"), ("_search", "GET"):
                return recordedSearch(target: target, request: request)
            default:
                return methodNotAllowed(request)
            }
        } catch let refusal as SearchRefusal {
            return refusal.response
        } catch {
            return .error(status: 500, type: "fake_exception", reason: "\(error)")
        }
    }

    /// A search as `searchRequests` records it (target, the `ids` query's values, status), with
    /// `forbidSearch`'s 403 for credentials without `read`, and `filter_path` applied.
    private mutating func recordedSearch(target: String?, request: FakeRequest) -> FakeResponse {
        let ids = (try? JSONValue.parse(request.body))?["query"]?["ids"]?["values"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let response: FakeResponse
        if forbidSearch {
            response = .error(status: 403, type: "security_exception",
                              reason: "action [indices:data/read/search] is unauthorized for user [fake-user] with effective roles [writer] on indices [\(target ?? "*")]")
        } else {
            do {
                response = try search(target: target, request: request)
            } catch let refusal as SearchRefusal {
                response = refusal.response
            } catch {
                response = .error(status: 500, type: "fake_exception", reason: "\(error)")
            }
        }
        searchRecords.append(FakeSearchRecord(target: target ?? "", ids: response.status == 403 ? [] : ids, status: response.status))
        guard response.status == 200, let filter = request.query["filter_path"], let full = try? JSONValue.parse(response.body) else {
            return response
        }
        return .json(FakeFilterPath.apply(filter, to: full))
    }

    // MARK: Point in time

    private mutating func openPointInTime(target: String, query: [String: String]) throws -> FakeResponse {
        guard let keepAlive = query["keep_alive"], !keepAlive.isEmpty else {
            throw SearchRefusal(400, "action_request_validation_exception", "Validation Failed: 1: [keep_alive] is not specified;")
        }
        guard DurationParser.parse(keepAlive) != nil else {
            throw SearchRefusal(400, "illegal_argument_exception", "failed to parse setting [keep_alive] with value [\(keepAlive)] as a time value")
        }
        let hits = try resolve(target: target)
        search.pointInTimeCounter += 1
        search.pointInTimeOpens += 1
        let id = Data("fake-pit-\(search.pointInTimeCounter)|\(target)".utf8).base64EncodedString()
        search.pointsInTime[id] = hits
        return .json(.object([
            "id": .string(id),
            "_shards": .object(["total": .number(1), "successful": .number(1), "skipped": .number(0), "failed": .number(0)]),
        ]))
    }

    private mutating func closePointInTime(_ body: [UInt8]) throws -> FakeResponse {
        guard let parsed = try? JSONValue.parse(body), let id = parsed["id"]?.stringValue else {
            throw SearchRefusal(400, "action_request_validation_exception", "Validation Failed: 1: no point in time id specified;")
        }
        search.pointInTimeCloses += 1
        let freed = search.pointsInTime.removeValue(forKey: id) != nil
        return .json(.object(["succeeded": .bool(true), "num_freed": .number(freed ? 1 : 0)]), status: freed ? 200 : 404)
    }

    /// The documents of the data streams `target` names (comma list, `*` wildcards), numbered in
    /// a stable order. A missing concrete name is a 404, as in Elasticsearch.
    private func resolve(target: String) throws -> [FakeHit] {
        var names: [String] = []
        for part in target.split(separator: ",").map(String.init) {
            if part.contains("*") {
                names += Set(documents.keys).union(backingIndices.keys).filter { Self.glob(part, matches: $0) }.sorted()
            } else if documents[part] != nil || backingIndices[part] != nil {
                names.append(part)
            } else {
                throw SearchRefusal(404, "index_not_found_exception", "no such index [\(part)]")
            }
        }
        // Every backing index of a data stream is searched, each its own `_id` space: a document
        // stored again after a rollover is found twice, as in Elasticsearch.
        var hits: [FakeHit] = []
        for name in names {
            let indices = backingIndices[name] ?? [FakeBackingIndex(name: name, documents: documents[name] ?? [:])]
            for index in indices {
                for (id, bytes) in index.documents.sorted(by: { $0.key < $1.key }) {
                    guard let source = try? JSONValue.parse(bytes) else { continue }
                    let millis = ECSPath.first("@timestamp", in: source)?.stringValue.flatMap(Self.epochMillis)
                    hits.append(FakeHit(index: index.name, id: id, source: source, shardDoc: hits.count, timestampMillis: millis))
                }
            }
        }
        return hits
    }

    private static func glob(_ pattern: String, matches name: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard name.hasPrefix(parts.first ?? ""), name.hasSuffix(parts.last ?? "") else { return false }
        var rest = Substring(name.dropFirst(parts.first?.count ?? 0))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.count >= (parts.count > 1 ? parts.last!.count : 0)
    }

    static func epochMillis(_ text: String) -> Int? {
        let date = (try? Date(text, strategy: .iso8601))
            ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
        return date.map { Int(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    // MARK: Search

    private static let knownBodyKeys: Set<String> = [
        "size", "from", "query", "_source", "sort", "pit", "search_after", "track_total_hits", "aggs", "aggregations",
    ]

    private mutating func search(target: String?, request: FakeRequest) throws -> FakeResponse {
        let body: JSONValue
        if request.body.isEmpty {
            body = .object([:])
        } else {
            guard let parsed = try? JSONValue.parse(request.body), parsed.objectValue != nil else {
                throw SearchRefusal(400, "parsing_exception", "request body or source parameter is required")
            }
            body = parsed
        }
        search.searchBodies.append(body)
        for key in body.objectValue?.keys.sorted() ?? [] where !Self.knownBodyKeys.contains(key) {
            throw SearchRefusal(400, "parsing_exception", "Unknown key for a START_OBJECT in [\(key)].")
        }
        let size = body["size"]?.intValue ?? 10
        let from = body["from"]?.intValue ?? 0
        let searchAfter = body["search_after"]?.arrayValue

        var hits: [FakeHit]
        var pointInTimeID: String?
        if let pit = body["pit"] {
            guard target == nil else {
                throw SearchRefusal(400, "action_request_validation_exception",
                                    "Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;")
            }
            guard let id = pit["id"]?.stringValue else {
                throw SearchRefusal(400, "parsing_exception", "[pit] failed to parse field [id]")
            }
            guard let snapshot = search.pointsInTime[id] else {
                throw SearchRefusal(404, "search_context_missing_exception", "No search context found for id [\(id)]")
            }
            hits = snapshot
            pointInTimeID = id
        } else {
            hits = try resolve(target: target ?? "*")
        }
        if searchAfter != nil, from != 0 {
            throw SearchRefusal(400, "action_request_validation_exception",
                                "Validation Failed: 1: [from] parameter must be set to 0 when [search_after] is used;")
        }
        if from + size > 10_000 {
            throw SearchRefusal(400, "illegal_argument_exception",
                                "Result window is too large, from + size must be less than or equal to: [10000] but was [\(from + size)]. See the scroll api for a more efficient way to request large data sets.")
        }
        if let query = body["query"] {
            hits = try hits.filter { try Self.matches(query, $0) }
        }
        let sort = try Self.sortKeys(body["sort"], hasPointInTime: pointInTimeID != nil)
        if let searchAfter, searchAfter.count != sort.count {
            throw SearchRefusal(400, "illegal_argument_exception",
                                "search_after has \(searchAfter.count) value(s) but sort has \(sort.count).")
        }
        if !sort.isEmpty {
            hits.sort { Self.compare(Self.sortValues($0, sort), Self.sortValues($1, sort), sort) < 0 }
        }
        if let searchAfter {
            hits = hits.filter { Self.compare(Self.sortValues($0, sort), searchAfter, sort) > 0 }
        }
        var response: [String: JSONValue] = [
            "took": .number(1),
            "timed_out": .bool(false),
            "_shards": .object(["total": .number(1), "successful": .number(1), "skipped": .number(0), "failed": .number(0)]),
        ]
        if let aggregations = body["aggs"] ?? body["aggregations"] {
            response["aggregations"] = try Self.aggregate(aggregations, over: hits)
        }
        let page = hits.dropFirst(from).prefix(size)
        let includes = try Self.sourceIncludes(body["_source"])
        var hitObjects: [JSONValue] = []
        for hit in page {
            var object: [String: JSONValue] = [
                "_index": .string(hit.index),
                "_id": .string(hit.id),
                "_score": sort.isEmpty ? .number(1) : .null,
            ]
            if let filtered = Self.filterSource(hit.source, includes: includes) { object["_source"] = filtered }
            if !sort.isEmpty { object["sort"] = .array(Self.sortValues(hit, sort)) }
            hitObjects.append(.object(object))
        }
        var hitsObject: [String: JSONValue] = ["max_score": sort.isEmpty && !page.isEmpty ? .number(1) : .null, "hits": .array(hitObjects)]
        if body["track_total_hits"]?.boolValue != false {
            hitsObject["total"] = .object(["value": .number(Double(hits.count)), "relation": .string("eq")])
        }
        response["hits"] = .object(hitsObject)
        if let pointInTimeID { response["pit_id"] = .string(pointInTimeID) }
        return .json(.object(response))
    }

    // MARK: Sorting

    private static func sortKeys(_ sort: JSONValue?, hasPointInTime: Bool) throws -> [(field: String, ascending: Bool)] {
        guard let sort else { return [] }
        let entries = sort.arrayValue ?? [sort]
        var keys: [(String, Bool)] = []
        for entry in entries {
            let field: String
            var order = "asc"
            if let name = entry.stringValue {
                field = name
            } else if let object = entry.objectValue, object.count == 1, let (name, spec) = object.first {
                field = name
                order = spec.stringValue ?? spec["order"]?.stringValue ?? "asc"
            } else {
                throw SearchRefusal(400, "parsing_exception", "malformed sort format")
            }
            if field == "_id" {
                throw SearchRefusal(400, "illegal_argument_exception",
                                    "Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled")
            }
            // Refused up to 8.11; later versions accept it but the order is then meaningless.
            if field == "_shard_doc", !hasPointInTime {
                throw SearchRefusal(400, "action_request_validation_exception",
                                    "Validation Failed: 1: [_shard_doc] sort field cannot be used without [point in time];")
            }
            keys.append((field, order == "asc"))
        }
        return keys
    }

    private static func sortValues(_ hit: FakeHit, _ sort: [(field: String, ascending: Bool)]) -> [JSONValue] {
        sort.map { key in
            switch key.field {
            case "_shard_doc": return .number(Double(hit.shardDoc))
            case "@timestamp": return hit.timestampMillis.map { .number(Double($0)) } ?? .null
            default: return ECSPath.first(key.field, in: hit.source) ?? .null
            }
        }
    }

    /// Negative, zero or positive as `lhs` sorts before, with or after `rhs`.
    private static func compare(_ lhs: [JSONValue], _ rhs: [JSONValue], _ sort: [(field: String, ascending: Bool)]) -> Int {
        for (index, key) in sort.enumerated() where index < lhs.count && index < rhs.count {
            let order: Int
            switch (lhs[index], rhs[index]) {
            case (.number(let a), .number(let b)): order = a < b ? -1 : (a > b ? 1 : 0)
            case (.string(let a), .string(let b)): order = a < b ? -1 : (a > b ? 1 : 0)
            case (.null, .null): order = 0
            case (.null, _): order = 1 // missing values sort last
            case (_, .null): order = -1
            default: order = 0
            }
            if order != 0 { return key.ascending || lhs[index] == .null || rhs[index] == .null ? order : -order }
        }
        return 0
    }

    // MARK: Queries

    private static func matches(_ query: JSONValue, _ hit: FakeHit) throws -> Bool {
        let source = hit.source
        guard let object = query.objectValue, object.count == 1, let (type, spec) = object.first else {
            throw SearchRefusal(400, "parsing_exception", "[_na] query malformed, must start with start_object")
        }
        switch type {
        case "match_all":
            return true
        case "bool":
            for clause in ["filter", "must"] {
                for inner in spec[clause].map({ $0.arrayValue ?? [$0] }) ?? [] {
                    if try !matches(inner, hit) { return false }
                }
            }
            for inner in spec["must_not"].map({ $0.arrayValue ?? [$0] }) ?? [] {
                if try matches(inner, hit) { return false }
            }
            if let should = spec["should"].map({ $0.arrayValue ?? [$0] }), !should.isEmpty {
                let minimum = spec["minimum_should_match"]?.intValue ?? (spec["filter"] == nil && spec["must"] == nil ? 1 : 0)
                let matched = try should.filter { try matches($0, hit) }.count
                if matched < minimum { return false }
            }
            return true
        case "ids":
            guard let values = spec["values"]?.arrayValue else {
                throw SearchRefusal(400, "parsing_exception", "[ids] query malformed, no [values]")
            }
            return values.contains(.string(hit.id))
        case "term", "terms":
            guard let (field, wanted) = spec.objectValue?.first else {
                throw SearchRefusal(400, "parsing_exception", "[\(type)] query malformed, no field")
            }
            let values: [JSONValue]
            if type == "term" {
                values = [wanted["value"] ?? wanted]
            } else {
                guard let list = wanted.arrayValue else {
                    throw SearchRefusal(400, "parsing_exception", "[terms] query does not support [\(field)]")
                }
                values = list
            }
            let present = ECSPath.all(field, in: source)
            return present.contains { value in values.contains(value) }
        case "range":
            guard let (field, bounds) = spec.objectValue?.first else {
                throw SearchRefusal(400, "parsing_exception", "[range] query malformed, no field")
            }
            guard field == "@timestamp" else {
                throw SearchRefusal(400, "fake_unsupported", "the fake supports range queries on @timestamp only")
            }
            guard let millis = ECSPath.first(field, in: source)?.stringValue.flatMap(epochMillis) else { return false }
            func bound(_ name: String) throws -> Int? {
                guard let value = bounds[name] else { return nil }
                if let number = value.intValue { return number }
                if let text = value.stringValue, let parsed = epochMillis(text) { return parsed }
                throw SearchRefusal(400, "parse_exception", "failed to parse date field [\(value)] with format [strict_date_optional_time||epoch_millis]")
            }
            if let gte = try bound("gte"), millis < gte { return false }
            if let gt = try bound("gt"), millis <= gt { return false }
            if let lte = try bound("lte"), millis > lte { return false }
            if let lt = try bound("lt"), millis >= lt { return false }
            return true
        default:
            throw SearchRefusal(400, "parsing_exception", "unknown query [\(type)]")
        }
    }

    // MARK: Aggregations

    private static func aggregate(_ aggregations: JSONValue, over hits: [FakeHit]) throws -> JSONValue {
        var result: [String: JSONValue] = [:]
        for (name, spec) in aggregations.objectValue ?? [:] {
            guard let terms = spec["terms"], let field = terms["field"]?.stringValue else {
                throw SearchRefusal(400, "fake_unsupported", "the fake supports terms aggregations only")
            }
            let size = terms["size"]?.intValue ?? 10
            var counts: [String: Int] = [:]
            for hit in hits {
                for value in Set(ECSPath.all(field, in: hit.source).compactMap(\.stringValue)) {
                    counts[value, default: 0] += 1
                }
            }
            let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let kept = sorted.prefix(size)
            let other = sorted.dropFirst(size).reduce(0) { $0 + $1.value }
            result[name] = .object([
                "doc_count_error_upper_bound": .number(0),
                "sum_other_doc_count": .number(Double(other)),
                "buckets": .array(kept.map { .object(["key": .string($0.key), "doc_count": .number(Double($0.value))]) }),
            ])
        }
        return .object(result)
    }

    // MARK: _source filtering

    /// nil means "no filtering"; an empty list means no `_source` at all.
    private static func sourceIncludes(_ spec: JSONValue?) throws -> [String]? {
        switch spec {
        case nil, .bool(true): return nil
        case .bool(false): return []
        case .string(let field): return [field]
        case .array(let fields): return fields.compactMap(\.stringValue)
        case .object(let object):
            if object["excludes"] != nil {
                throw SearchRefusal(400, "fake_unsupported", "the fake supports _source includes only")
            }
            return object["includes"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] } ?? nil
        default:
            throw SearchRefusal(400, "parsing_exception", "[_source] unsupported value")
        }
    }

    /// The parts of `source` under the included paths, keeping its nesting, as Elasticsearch
    /// returns filtered sources. Nil when nothing was included.
    private static func filterSource(_ source: JSONValue, includes: [String]?) -> JSONValue? {
        guard let includes else { return source }
        guard !includes.isEmpty else { return nil }
        func filter(_ value: JSONValue, prefix: String) -> JSONValue? {
            guard case .object(let members) = value else { return nil }
            var kept: [String: JSONValue] = [:]
            for (key, child) in members {
                let path = prefix.isEmpty ? key : prefix + "." + key
                if includes.contains(where: { $0 == path || ($0.contains("*") && Self.glob($0, matches: path)) }) {
                    kept[key] = child
                } else if includes.contains(where: { $0.hasPrefix(path + ".") }), let inner = filter(child, prefix: path) {
                    kept[key] = inner
                }
            }
            return kept.isEmpty && !prefix.isEmpty ? nil : .object(kept)
        }
        return filter(source, prefix: "")
    }
}

/// Values at a dotted path, through nested objects, dotted keys and arrays of objects.
enum ECSPath {
    static func all(_ path: String, in value: JSONValue) -> [JSONValue] {
        var found: [JSONValue] = []
        collect(Substring(path), in: value, into: &found)
        return found
    }

    static func first(_ path: String, in value: JSONValue) -> JSONValue? {
        all(path, in: value).first
    }

    private static func collect(_ path: Substring, in value: JSONValue, into found: inout [JSONValue]) {
        switch value {
        case .array(let items):
            for item in items { collect(path, in: item, into: &found) }
        case .object(let members):
            if let whole = members[String(path)] {
                if case .array(let items) = whole { found += items } else { found.append(whole) }
            }
            var cursor = path.startIndex
            while let dot = path[cursor...].firstIndex(of: ".") {
                if let inner = members[String(path[..<dot])] {
                    collect(path[path.index(after: dot)...], in: inner, into: &found)
                }
                cursor = path.index(after: dot)
            }
        default:
            return
        }
    }
}

/// Controls and observations of the search subset, for tests.
extension FakeElasticsearch {
    /// Points in time opened and closed so far.
    public var pointInTimeCounts: (opened: Int, closed: Int, open: Int) {
        withState { ($0.search.pointInTimeOpens, $0.search.pointInTimeCloses, $0.search.pointsInTime.count) }
    }

    /// Every `_search` body received, in order.
    public var searchBodies: [JSONValue] { withState { $0.search.searchBodies } }

    /// Forgets every open point in time, as Elasticsearch does when `keep_alive` passes.
    public func expirePointsInTime() {
        withState { $0.search.pointsInTime.removeAll() }
    }
}
