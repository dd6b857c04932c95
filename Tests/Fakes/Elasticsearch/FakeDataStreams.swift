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

    /// `POST /<target>/_rollover`; nil for other endpoints (searches: FakeSearch.swift).
    mutating func dataStreamRequest(_ request: FakeRequest, target: String, endpoint: String) -> FakeResponse? {
        switch endpoint {
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
