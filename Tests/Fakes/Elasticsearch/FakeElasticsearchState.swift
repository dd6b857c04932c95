import Foundation
import ShipperCore
import ShipperTestSupport

/// Which product the fake claims to be in `GET /`. OpenSearch also lacks ILM and the built-in
/// `logs@*`/`ecs@mappings` component templates; a serverless project has the built-ins but no ILM
/// API and refuses `index.lifecycle.*` settings.
public enum FakeDistribution: String, Sendable {
    case elasticsearch
    case opensearch
    case serverless
}

/// A bulk request as received, for assertions.
public struct FakeBulkRecord: Sendable, Equatable {
    /// `_id` of each item in order (empty string when the action had none).
    public var ids: [String]
    /// Action of each item (`create`, `index`, …).
    public var actions: [String]
    public var gzip: Bool
    public var contentType: String?
    public var authorization: String?
    /// Body size before decompression, as received.
    public var receivedBytes: Int
    /// HTTP status answered.
    public var status: Int
    /// Status of each item (empty when the request was refused as a whole).
    public var itemStatuses: [Int] = []
    public var filterPath: String?
}

/// Everything the fake knows; mutated only under the server's lock. `handle` is synchronous so
/// each request is atomic.
struct FakeElasticsearchState {
    var distribution: FakeDistribution
    var version: String

    // Authentication: when either is set, requests must carry a matching header.
    var expectedAPIKey: String?
    var expectedBasic: (username: String, password: String)?
    /// Index privileges `_has_privileges` reports as granted; nil grants everything.
    var grantedIndexPrivileges: Set<String>?
    /// Per index-name prefix, overriding `grantedIndexPrivileges` for the names it starts.
    var grantedIndexPrivilegesByPrefix: [String: Set<String>] = [:]
    /// Answer 403 to bulk requests (authenticated but not authorised).
    var forbidBulk = false
    /// Error reasons quote the request's Authorization header.
    var echoAuthorization = false

    // Failure injection.
    var isDown = false
    var bulkFailures: [Int] = []
    /// Statuses answered by the next bulk requests after their items were processed.
    var storeThenFail: [Int] = []
    var maxContentLength: Int?
    var itemRejections: [String: Int] = [:]
    var itemRejectionRate = 0.0
    var random = SplitMix64(seed: 1)
    var permanentItemFailures: [String: (status: Int, type: String, reason: String)] = [:]
    /// When set, every item with an `_id` fails for good this way.
    var everyItemFailure: (status: Int, type: String, reason: String)?

    // Observations. `documents` holds, per index or data stream, the latest copy of each `_id`;
    // a data stream's real contents, duplicates across rollovers included, are its backing
    // indices (FakeDataStreams.swift).
    var documents: [String: [String: [UInt8]]] = [:]
    var backingIndices: [String: [FakeBackingIndex]] = [:]
    /// Roll a data stream over once its write index holds this many documents; nil never.
    var rolloverAfterDocuments: Int?
    var searchRecords: [FakeSearchRecord] = []
    var forbidSearch = false
    var bulkRecords: [FakeBulkRecord] = []
    var bulkItemCount = 0
    var requestLog: [String] = []
    var templateWrites: [String] = []
    var recordedRequests: [FakeRecordedRequest] = []
    /// Points in time and searches (FakeSearch.swift).
    var search = FakeSearchState()

    // Templates.
    var ilmPolicies: [String: JSONValue] = [:]
    var componentTemplates: [String: JSONValue] = [:]
    var indexTemplates: [String: JSONValue] = [:]
    var ingestPipelines: [String: JSONValue] = [:]
    var generatedIDs = 0

    init(distribution: FakeDistribution, version: String?) {
        self.distribution = distribution
        switch distribution {
        case .elasticsearch: self.version = version ?? "8.17.0"
        case .opensearch: self.version = version ?? "2.17.0"
        // Serverless reports a fixed version; its API is versionless.
        case .serverless: self.version = version ?? "8.11.0"
        }
        if distribution != .opensearch {
            installBuiltInTemplates()
        }
    }

    mutating func handle(_ request: FakeRequest) -> FakeResponse {
        let response = answer(request)
        guard echoAuthorization, let authorization = request.headers["authorization"],
              let body = try? JSONValue.parse(response.body) else { return response }
        var echoed = response
        echoed.body = Self.appending(" [Authorization: \(authorization)]", toReasonsIn: body).serialized(sortedKeys: true)
        return echoed
    }

    private static func appending(_ text: String, toReasonsIn value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                if key == "reason", case .string(let reason) = member {
                    result[key] = .string(reason + text)
                } else {
                    result[key] = appending(text, toReasonsIn: member)
                }
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map { appending(text, toReasonsIn: $0) })
        default:
            return value
        }
    }

    private mutating func answer(_ request: FakeRequest) -> FakeResponse {
        requestLog.append("\(request.method) \(request.path)")
        let verdict = RESTSpec.vendored.verdict(method: request.method, path: request.path, queryParameters: Array(request.query.keys))
        recordedRequests.append(FakeRecordedRequest(
            method: request.method, path: request.path, queryParameters: request.query.keys.sorted(), verdict: verdict
        ))
        if isDown {
            return .error(status: 503, type: "master_not_discovered_exception", reason: "the fake cluster is down")
        }
        if let refusal = routeRefusal(request, verdict: verdict) {
            return refusal
        }
        if let refusal = authenticate(request) {
            return refusal
        }
        if let refusal = parameterRefusal(request, verdict: verdict) ?? distributionRefusal(request, verdict: verdict) {
            return refusal
        }
        let segments = request.path.split(separator: "/").map(String.init)
        if let answer = searchRoute(request, segments: segments) { return answer }
        switch (request.method, segments.first ?? "") {
        case ("GET", ""):
            return rootDocument()
        case (_, "_bulk"):
            return request.method == "POST" || request.method == "PUT" ? bulk(request, target: nil) : methodNotAllowed(request)
        case (_, "_security") where segments.dropFirst().joined(separator: "/") == "user/_has_privileges":
            return hasPrivileges(request)
        case (_, "_ilm"), (_, "_component_template"), (_, "_index_template"), (_, "_data_stream"):
            return templateEndpoint(request, segments: segments)
        case (_, "_ingest"):
            return ingestEndpoint(request, segments: segments)
        default:
            if segments.count == 2, segments[1] == "_bulk", request.method == "POST" || request.method == "PUT" {
                return bulk(request, target: segments[0])
            }
            if segments.count == 2, let answer = dataStreamRequest(request, target: segments[0], endpoint: segments[1]) {
                return answer
            }
            return .error(status: 400, type: "illegal_argument_exception",
                          reason: "no handler found for uri [\(request.path)] and method [\(request.method)]")
        }
    }

    func methodNotAllowed(_ request: FakeRequest) -> FakeResponse {
        .error(status: 405, type: "illegal_argument_exception",
               reason: "Incorrect HTTP method for uri [\(request.path)] and method [\(request.method)]")
    }

    // MARK: Authentication

    /// Nil when the request may proceed; else the 401 Elasticsearch sends.
    func authenticate(_ request: FakeRequest) -> FakeResponse? {
        guard expectedAPIKey != nil || expectedBasic != nil else { return nil }
        let challenge = ["WWW-Authenticate": "Basic realm=\"security\", charset=\"UTF-8\", ApiKey"]
        guard let header = request.headers["authorization"] else {
            return .error(status: 401, type: "security_exception",
                          reason: "missing authentication credentials for REST request [\(request.path)]", headers: challenge)
        }
        if let key = expectedAPIKey, header == "ApiKey \(key)" { return nil }
        if let basic = expectedBasic,
           header == "Basic " + Data("\(basic.username):\(basic.password)".utf8).base64EncodedString() {
            return nil
        }
        return .error(status: 401, type: "security_exception",
                      reason: "unable to authenticate with provided credentials and anonymous access is not allowed for this request",
                      headers: challenge)
    }

    // MARK: Root and privileges

    func rootDocument() -> FakeResponse {
        var versionObject: [String: JSONValue] = [
            "number": .string(version),
            "build_flavor": .string("default"),
            "lucene_version": .string("9.12.0"),
        ]
        if distribution == .opensearch {
            versionObject["distribution"] = .string("opensearch")
            versionObject["build_flavor"] = nil
        }
        if distribution == .serverless {
            versionObject["build_flavor"] = .string("serverless")
        }
        return .json(.object([
            "name": .string("fake-node-1"),
            "cluster_name": .string("fake-cluster"),
            "cluster_uuid": .string("fake-uuid"),
            "version": .object(versionObject),
            "tagline": .string(distribution == .opensearch
                ? "The OpenSearch Project: https://opensearch.org/" : "You Know, for Search"),
        ]))
    }

    func hasPrivileges(_ request: FakeRequest) -> FakeResponse {
        guard let body = try? FoundationJSON.parse(request.body) else {
            return .error(status: 400, type: "parse_exception", reason: "request body is required")
        }
        var indexAnswer: [String: JSONValue] = [:]
        var all = true
        for entry in body["index"]?.arrayValue ?? [] {
            let privileges = entry["privileges"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for name in entry["names"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                var granted: [String: JSONValue] = [:]
                for privilege in privileges {
                    let byPrefix = grantedIndexPrivilegesByPrefix.first { name.hasPrefix($0.key) }?.value
                    let has = (byPrefix ?? grantedIndexPrivileges)?.contains(privilege) ?? true
                    all = all && has
                    granted[privilege] = .bool(has)
                }
                indexAnswer[name] = .object(granted)
            }
        }
        return .json(.object([
            "username": .string(expectedBasic?.username ?? "fake-user"),
            "has_all_requested": .bool(all),
            "cluster": .object([:]),
            "index": .object(indexAnswer),
            "application": .object([:]),
        ]))
    }
}
