import ShipperCore
import ShipperTestSupport

/// Knobs and observations of the fake, for tests. Every call takes the state lock, so tests may
/// change behaviour between (not during) requests.
extension FakeElasticsearch {
    // MARK: Authentication and identity

    /// Require `Authorization: ApiKey <encoded>` (or the basic credentials, when also set).
    public func requireAPIKey(_ encoded: String) {
        withState { $0.expectedAPIKey = encoded }
    }

    /// Require `Authorization: Basic base64(username:password)` (or the API key, when also set).
    public func requireBasic(username: String, password: String) {
        withState { $0.expectedBasic = (username, password) }
    }

    /// Index privileges `_has_privileges` reports as held; nil holds all.
    public func grantIndexPrivileges(_ privileges: Set<String>?) {
        withState { $0.grantedIndexPrivileges = privileges }
    }

    /// Index privileges `_has_privileges` reports as held on the indices whose names start with
    /// `prefix` (a role that names one pattern but not another).
    public func grantIndexPrivileges(_ privileges: Set<String>, onIndicesStartingWith prefix: String) {
        withState { $0.grantedIndexPrivilegesByPrefix[prefix] = privileges }
    }

    /// While on, every error reason (whole-request and per-item) quotes the request's
    /// `Authorization` header, as a careless proxy or plugin might: for tests that credentials
    /// never reach the shipper's logs, `check` output or dead letters.
    public func echoAuthorization(_ echo: Bool = true) {
        withState { $0.echoAuthorization = echo }
    }

    /// Answer 403 to every bulk request, as for credentials without write privileges.
    public func forbidBulk(_ forbidden: Bool = true) {
        withState { $0.forbidBulk = forbidden }
    }

    // MARK: Failure injection

    /// Answer 503 to every request until switched back.
    public func setDown(_ down: Bool) {
        withState { $0.isDown = down }
    }

    /// The next `count` bulk requests answer `status` as a whole (e.g. 503, 429, 502).
    public func failNextBulkRequests(status: Int, count: Int = 1) {
        withState { $0.bulkFailures.append(contentsOf: Array(repeating: status, count: count)) }
    }

    /// Bulk bodies above `bytes` (after decompression) answer 413, like `http.max_content_length`.
    public func setMaxContentLength(_ bytes: Int?) {
        withState { $0.maxContentLength = bytes }
    }

    /// The items with these `_id`s answer 429 the next `times` times they are sent.
    public func rejectItems(ids: some Sequence<String>, times: Int = 1) {
        withState { state in
            for id in ids { state.itemRejections[id] = times }
        }
    }

    /// Every item answers 429 with probability `rate`, from a seeded generator (repeatable).
    public func rejectItems(rate: Double, seed: UInt64 = 1) {
        withState {
            $0.itemRejectionRate = rate
            $0.random = SplitMix64(seed: seed)
        }
    }

    /// The items with these `_id`s fail for good with `status` (default a mapping error).
    public func failItems(
        ids: some Sequence<String>,
        status: Int = 400,
        type: String = "mapper_parsing_exception",
        reason: String = "failed to parse field [mimecast.category] of type [keyword] (injected)"
    ) {
        withState { state in
            for id in ids { state.permanentItemFailures[id] = (status, type, reason) }
        }
    }

    /// Every item fails for good (a mapping error by default), whatever its `_id`.
    public func failEveryItem(
        status: Int = 400,
        type: String = "mapper_parsing_exception",
        reason: String = "failed to parse field [mimecast.category] of type [keyword] (injected)"
    ) {
        withState { $0.everyItemFailure = (status, type, reason) }
    }

    // MARK: Observations

    /// Documents stored in `dataStream`, `_id` to source bytes (one per `_id`: see `storedCopies`
    /// for duplicates across backing indices).
    public func documents(in dataStream: String) -> [String: [UInt8]] {
        withState { $0.documents[dataStream] ?? [:] }
    }

    /// One stored document, parsed.
    public func document(id: String, in dataStream: String) -> JSONValue? {
        withState { $0.documents[dataStream]?[id] }.flatMap { try? FoundationJSON.parse($0) }
    }

    /// Stores a document directly, as if an earlier run had written it.
    public func seedDocument(id: String, source: [UInt8], in dataStream: String) {
        withState { state in
            if state.isDataStreamName(dataStream) {
                _ = state.createInWriteIndex(dataStream: dataStream, id: id, source: source, force: true)
            } else {
                state.documents[dataStream, default: [:]][id] = source
            }
        }
    }

    /// Every bulk request received, in order (including refused ones).
    public var bulkRequests: [FakeBulkRecord] { withState { $0.bulkRecords } }

    public var bulkRequestCount: Int { withState { $0.bulkRecords.count } }

    /// Items received over all bulk requests (a resent item counts again).
    public var bulkItemCount: Int { withState { $0.bulkItemCount } }

    /// `METHOD /path` of every request.
    public var requestLog: [String] { withState { $0.requestLog } }

    /// `PUT /path` of every template, component template and policy write that succeeded.
    public var templateWrites: [String] { withState { $0.templateWrites } }

    /// The stored body of an index template, component template or ILM policy (as GET shows it
    /// inside its wrapper).
    public func storedIndexTemplate(_ name: String) -> JSONValue? { withState { $0.indexTemplates[name] } }
    public func storedComponentTemplate(_ name: String) -> JSONValue? { withState { $0.componentTemplates[name] } }
    public func storedILMPolicy(_ name: String) -> JSONValue? { withState { $0.ilmPolicies[name] } }

    /// Replaces a stored index template body, e.g. to simulate an operator's manual edit.
    public func overwriteIndexTemplate(_ name: String, with body: JSONValue) {
        withState { $0.indexTemplates[name] = body }
    }
}

extension FakeElasticsearch {
    /// Every request received with the REST spec's verdict on it (refused ones included).
    public var recordedRequests: [FakeRecordedRequest] { withState { $0.recordedRequests } }

    /// The stored component template names, e.g. to see which built-ins a fake version has.
    public var componentTemplateNames: Set<String> { withState { Set($0.componentTemplates.keys) } }
}
