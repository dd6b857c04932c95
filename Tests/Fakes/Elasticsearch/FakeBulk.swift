import ShipperCore
import ShipperTestSupport

/// `_bulk` as Elasticsearch does it for the parts the shipper relies on: NDJSON with a final
/// newline, gzip bodies, `create` conflicts, data-stream rules, `filter_path`, plus injected
/// failures.
extension FakeElasticsearchState {
    mutating func bulk(_ request: FakeRequest, target: String?) -> FakeResponse {
        var record = FakeBulkRecord(
            ids: [], actions: [],
            gzip: request.headers["content-encoding"]?.lowercased() == "gzip",
            contentType: request.headers["content-type"],
            authorization: request.headers["authorization"],
            receivedBytes: request.body.count,
            status: 200,
            filterPath: request.query["filter_path"]
        )
        let response = bulkResponse(request, target: target, record: &record)
        record.status = response.status
        bulkRecords.append(record)
        return response
    }

    private mutating func bulkResponse(_ request: FakeRequest, target: String?, record: inout FakeBulkRecord) -> FakeResponse {
        if forbidBulk {
            return .error(status: 403, type: "security_exception",
                          reason: "action [indices:data/write/bulk] is unauthorized for user [fake-user] with effective roles [viewer]")
        }
        var body = request.body
        if record.gzip {
            guard let inflated = try? Zlib.gunzip(body) else {
                return .error(status: 400, type: "illegal_argument_exception", reason: "invalid gzip body")
            }
            body = inflated
        }
        let contentType = (record.contentType ?? "").lowercased()
        guard contentType.hasPrefix("application/x-ndjson") || contentType.hasPrefix("application/json") else {
            return .error(status: 406, type: "media_type_header_exception",
                          reason: "Content-Type header [\(record.contentType ?? "")] is not supported")
        }
        guard body.last == UInt8(ascii: "\n") else {
            return .error(status: 400, type: "illegal_argument_exception",
                          reason: "The bulk request must be terminated by a newline [\\n]")
        }
        let operations: [BulkOperation]
        switch parseOperations(body, target: target) {
        case .success(let parsed): operations = parsed
        case .failure(let refusal): return refusal.response
        }
        record.ids = operations.map { $0.id ?? "" }
        record.actions = operations.map(\.action)
        bulkItemCount += operations.count
        if let limit = maxContentLength, body.count > limit {
            return FakeResponse(status: 413)
        }
        if !bulkFailures.isEmpty {
            let status = bulkFailures.removeFirst()
            return .error(status: status, type: status == 429 ? "es_rejected_execution_exception" : "unavailable_shards_exception",
                          reason: "injected failure \(status)")
        }
        var items: [JSONValue] = []
        for operation in operations {
            let item = bulkItem(action: operation.action, index: operation.index, id: operation.id, source: operation.source)
            record.itemStatuses.append(item["status"]?.intValue ?? 0)
            items.append(.object([operation.action: item]))
        }
        if !storeThenFail.isEmpty {
            // The items were processed; the answer is lost on the way (a proxy's 502/504).
            let status = storeThenFail.removeFirst()
            return .error(status: status, type: "gateway_timeout", reason: "injected failure \(status) after the items were stored")
        }
        return .json(filtered(items: items, filterPath: request.query["filter_path"]))
    }

    struct BulkOperation {
        let action: String
        let index: String
        let id: String?
        let source: [UInt8]
    }

    /// Splits an NDJSON body into action and source pairs; a malformed body is refused whole.
    private func parseOperations(_ body: [UInt8], target: String?) -> Result<[BulkOperation], Refusal> {
        func refuse(_ status: Int, _ type: String, _ reason: String) -> Result<[BulkOperation], Refusal> {
            .failure(Refusal(response: .error(status: status, type: type, reason: reason)))
        }
        let lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map(Array.init)
        var operations: [BulkOperation] = []
        var position = 0
        while position < lines.count {
            guard let action = try? FoundationJSON.parse(lines[position]), let entry = action.objectValue?.first,
                  action.objectValue?.count == 1 else {
                return refuse(400, "x_content_parse_exception", "malformed action/metadata line [\(position + 1)]")
            }
            let (name, metadata) = entry
            position += 1
            guard name != "delete" else {
                return refuse(400, "illegal_argument_exception", "the fake does not implement delete")
            }
            guard position < lines.count else {
                return refuse(400, "illegal_argument_exception", "action [\(name)] is missing its source line")
            }
            guard let index = metadata["_index"]?.stringValue ?? target else {
                return refuse(400, "action_request_validation_exception", "Validation Failed: 1: index is missing;")
            }
            operations.append(BulkOperation(action: name, index: index, id: metadata["_id"]?.stringValue, source: lines[position]))
            position += 1
        }
        return .success(operations)
    }

    /// The outcome of one item, in the shape Elasticsearch uses.
    private mutating func bulkItem(action: String, index: String, id: String?, source: [UInt8]) -> JSONValue {
        func failure(_ status: Int, _ type: String, _ reason: String) -> JSONValue {
            .object([
                "_index": .string(index), "_id": id.map(JSONValue.string) ?? .null, "status": .number(Double(status)),
                "error": .object(["type": .string(type), "reason": .string(reason)]),
            ])
        }
        if let id, let injected = permanentItemFailures[id] ?? everyItemFailure {
            return failure(injected.status, injected.type, injected.reason)
        }
        if let id, let remaining = itemRejections[id], remaining > 0 {
            itemRejections[id] = remaining - 1
            return failure(429, "es_rejected_execution_exception", "rejected execution of coordinating operation (injected for \(id))")
        }
        if itemRejectionRate > 0, random.nextUnit() < itemRejectionRate {
            return failure(429, "es_rejected_execution_exception", "rejected execution of primary operation (injected rate)")
        }
        guard let document = try? FoundationJSON.parse(source), document.objectValue != nil else {
            return failure(400, "document_parsing_exception", "[1:1] failed to parse: source is not a JSON object")
        }
        let isDataStream = isDataStreamName(index)
        if isDataStream, action != "create" {
            return failure(400, "illegal_argument_exception", "only write ops with an op_type of create are allowed in data streams")
        }
        if isDataStream, document["@timestamp"] == nil {
            return failure(400, "document_parsing_exception", "[1:1] failed to parse: data stream timestamp field [@timestamp] is missing")
        }
        if let conflict = mappingConflict(document, index: index) {
            return failure(400, "document_parsing_exception", conflict)
        }
        if let missing = missingDefaultPipeline(for: index) {
            return failure(400, "illegal_argument_exception", missing)
        }
        let documentID: String
        if let id {
            documentID = id
        } else {
            generatedIDs += 1
            documentID = "fake-generated-\(generatedIDs)"
        }
        if isDataStream {
            // `create` is unique per backing index only, as in Elasticsearch.
            guard let backing = createInWriteIndex(dataStream: index, id: documentID, source: source) else {
                return failure(409, "version_conflict_engine_exception",
                               "[\(documentID)]: version conflict, document already exists (current version [1])")
            }
            return .object([
                "_index": .string(backing), "_id": .string(documentID), "_version": .number(1),
                "result": .string("created"), "status": .number(201),
            ])
        }
        if action == "create", documents[index]?[documentID] != nil {
            return failure(409, "version_conflict_engine_exception",
                           "[\(documentID)]: version conflict, document already exists (current version [1])")
        }
        let existed = documents[index]?[documentID] != nil
        documents[index, default: [:]][documentID] = source
        return .object([
            "_index": .string(isDataStream ? ".ds-\(index)-2024.05.02-000001" : index),
            "_id": .string(documentID),
            "_version": .number(1),
            "result": .string(existed ? "updated" : "created"),
            "status": .number(existed ? 200 : 201),
        ])
    }

    /// Applies `filter_path` entries of the forms `errors`, `took` and `items.*.<field>`; items
    /// left empty by the filter disappear, as they do in Elasticsearch.
    private func filtered(items: [JSONValue], filterPath: String?) -> JSONValue {
        let hasErrors = items.contains { $0.objectValue?.values.first?["error"] != nil }
        var full: [String: JSONValue] = ["took": .number(3), "errors": .bool(hasErrors), "items": .array(items)]
        guard let filterPath, !filterPath.isEmpty else { return .object(full) }
        let filters = filterPath.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let itemFields = Set(filters.compactMap { $0.hasPrefix("items.*.") ? String($0.dropFirst("items.*.".count)) : nil })
        var result: [String: JSONValue] = [:]
        for key in ["took", "errors"] where filters.contains(key) {
            result[key] = full.removeValue(forKey: key)
        }
        if !itemFields.isEmpty {
            let kept: [JSONValue] = items.compactMap { item in
                guard let entry = item.objectValue?.first, let fields = entry.value.objectValue else { return nil }
                let action = entry.key
                let remaining = fields.filter { itemFields.contains($0.key) }
                return remaining.isEmpty ? nil : .object([action: .object(remaining)])
            }
            if !kept.isEmpty { result["items"] = .array(kept) }
        }
        return .object(result)
    }

    /// Names that a data-stream template covers: the built-in `logs-*-*` or an installed one.
    func isDataStreamName(_ name: String) -> Bool {
        matchingIndexTemplate(for: name)?.template["data_stream"] != nil
    }

    /// A leaf field (keyword, long, …) of the effective mapping given an object is refused like
    /// Elasticsearch does; nil when the document fits.
    func mappingConflict(_ document: JSONValue, index: String) -> String? {
        guard let mappings = simulatedTemplate(for: index)?["mappings"]?["properties"] else { return nil }
        return conflict(document, properties: mappings, path: "")
    }

    private func conflict(_ value: JSONValue, properties: JSONValue, path: String) -> String? {
        guard let members = value.objectValue else { return nil }
        for (key, member) in members {
            guard let mapping = properties[key] else { continue }
            let fieldPath = path.isEmpty ? key : "\(path).\(key)"
            if let type = mapping["type"]?.stringValue, type != "object", type != "nested", type != "flattened" {
                if member.objectValue != nil {
                    return "[1:1] failed to parse field [\(fieldPath)] of type [\(type)] in document with id. Preview of field's value: 'object'"
                }
                if type == "date", let text = member.stringValue, !FakeJSON.looksLikeDate(text) {
                    return "[1:15] failed to parse field [\(fieldPath)] of type [date] in document with id. Preview of field's value: '\(text)'"
                }
            } else if let childProperties = mapping["properties"] {
                if member.objectValue == nil, member != .null {
                    return "object mapping for [\(fieldPath)] tried to parse field [\(fieldPath)] as object, but found a concrete value"
                }
                if let nested = conflict(member, properties: childProperties, path: fieldPath) { return nested }
            }
        }
        return nil
    }
}
