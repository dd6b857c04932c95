import Foundation
import ShipperCore

/// Which product the fake claims to be in `GET /`. OpenSearch also lacks ILM and the built-in
/// `logs@*`/`ecs@mappings` component templates.
public enum FakeDistribution: String, Sendable {
    case elasticsearch
    case opensearch
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
    /// Answer 403 to bulk requests (authenticated but not authorised).
    var forbidBulk = false

    // Failure injection.
    var isDown = false
    var bulkFailures: [Int] = []
    var maxContentLength: Int?
    var itemRejections: [String: Int] = [:]
    var itemRejectionRate = 0.0
    var random = SplitMix64(seed: 1)
    var permanentItemFailures: [String: (status: Int, type: String, reason: String)] = [:]

    // Observations.
    var documents: [String: [String: [UInt8]]] = [:]
    var bulkRecords: [FakeBulkRecord] = []
    var bulkItemCount = 0
    var requestLog: [String] = []
    var templateWrites: [String] = []
    /// Points in time and searches (FakeSearch.swift).
    var search = FakeSearchState()

    // Templates.
    var ilmPolicies: [String: JSONValue] = [:]
    var componentTemplates: [String: JSONValue] = [:]
    var indexTemplates: [String: JSONValue] = [:]
    var generatedIDs = 0

    init(distribution: FakeDistribution, version: String?) {
        self.distribution = distribution
        self.version = version ?? (distribution == .opensearch ? "2.17.0" : "8.17.0")
        if distribution == .elasticsearch {
            installBuiltInTemplates()
        }
    }

    mutating func handle(_ request: FakeRequest) -> FakeResponse {
        requestLog.append("\(request.method) \(request.path)")
        if isDown {
            return .error(status: 503, type: "master_not_discovered_exception", reason: "the fake cluster is down")
        }
        if let refusal = authenticate(request) {
            return refusal
        }
        let segments = request.path.split(separator: "/").map(String.init)
        if let answer = searchRoute(request, segments: segments) { return answer }
        switch (request.method, segments.first ?? "") {
        case ("GET", ""), ("HEAD", ""):
            return rootDocument()
        case (_, "_bulk"):
            return request.method == "POST" || request.method == "PUT" ? bulk(request, target: nil) : methodNotAllowed(request)
        case (_, "_security") where segments.dropFirst().joined(separator: "/") == "user/_has_privileges":
            return hasPrivileges(request)
        case (_, "_ilm"), (_, "_component_template"), (_, "_index_template"), (_, "_data_stream"):
            return templateEndpoint(request, segments: segments)
        default:
            if segments.count == 2, segments[1] == "_bulk", request.method == "POST" || request.method == "PUT" {
                return bulk(request, target: segments[0])
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
        guard let body = try? JSONValue.parse(request.body) else {
            return .error(status: 400, type: "parse_exception", reason: "request body is required")
        }
        var indexAnswer: [String: JSONValue] = [:]
        var all = true
        for entry in body["index"]?.arrayValue ?? [] {
            let privileges = entry["privileges"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for name in entry["names"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                var granted: [String: JSONValue] = [:]
                for privilege in privileges {
                    let has = grantedIndexPrivileges?.contains(privilege) ?? true
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

/// A small deterministic generator so per-item rejection rates give the same items every run.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return Double(value >> 11) / Double(1 << 53)
    }
}
