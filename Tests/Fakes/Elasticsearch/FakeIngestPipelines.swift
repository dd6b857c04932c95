import ShipperCore

/// `_ingest/pipeline/<id>` as Elasticsearch answers it: GET wraps the body in `{id: body}`, PUT
/// refuses processors it does not know or options a processor does not take (Elasticsearch's
/// "doesn't support one or more provided configuration parameters"), and a bulk item whose
/// index's `index.default_pipeline` names a pipeline that does not exist fails, as it does there.
extension FakeElasticsearchState {
    /// Options each processor the shipper's pipeline may use accepts (the common ones included).
    static let knownProcessors: [String: (required: Set<String>, optional: Set<String>)] = {
        let common: Set<String> = ["tag", "description", "if", "ignore_failure", "on_failure"]
        return [
            "geoip": (["field"], common.union(["target_field", "database_file", "properties", "ignore_missing", "first_only", "download_database_on_pipeline_creation"])),
            "rename": (["field", "target_field"], common.union(["ignore_missing", "override"])),
            "set": (["field"], common.union(["value", "copy_from", "override", "ignore_empty_value", "media_type"])),
            "append": (["field", "value"], common.union(["allow_duplicates", "media_type"])),
            "remove": (["field"], common.union(["ignore_missing", "keep"])),
            "pipeline": (["name"], common.union(["ignore_missing_pipeline"])),
        ]
    }()

    /// Pipelines Elasticsearch ships (named by the built-in `logs@settings`).
    static let builtInPipelines: Set<String> = ["logs@default-pipeline", "logs@json-pipeline"]

    mutating func ingestEndpoint(_ request: FakeRequest, segments: [String]) -> FakeResponse {
        guard segments.count == 3, segments[1] == "pipeline" else {
            return .error(status: 400, type: "illegal_argument_exception",
                          reason: "no handler found for uri [\(request.path)] and method [\(request.method)]")
        }
        let name = segments[2]
        switch request.method {
        case "GET":
            guard let stored = ingestPipelines[name] else { return .json(.object([:]), status: 404) }
            return .json(.object([name: stored]))
        case "PUT":
            guard let body = try? JSONValue.parse(request.body), body.objectValue != nil else {
                return .error(status: 400, type: "parse_exception", reason: "request body is required")
            }
            if let problem = Self.pipelineProblem(body) {
                return .error(status: 400, type: "parse_exception", reason: problem)
            }
            ingestPipelines[name] = body
            templateWrites.append("PUT \(request.path)")
            return .acknowledged
        case "DELETE":
            guard ingestPipelines.removeValue(forKey: name) != nil else {
                return .error(status: 404, type: "resource_not_found_exception", reason: "pipeline [\(name)] is missing")
            }
            return .acknowledged
        default:
            return methodNotAllowed(request)
        }
    }

    /// Nil when every processor (and `on_failure` handler) is known and configured correctly.
    static func pipelineProblem(_ body: JSONValue) -> String? {
        guard let processors = body["processors"]?.arrayValue else {
            return "[processors] required property is missing"
        }
        for processor in processors + (body["on_failure"]?.arrayValue ?? []) {
            guard let entry = processor.objectValue, entry.count == 1, let (type, config) = entry.first,
                  let options = config.objectValue else {
                return "a processor must be an object with exactly one processor type"
            }
            guard let known = knownProcessors[type] else {
                return "No processor type exists with name [\(type)]"
            }
            if let missing = known.required.sorted().first(where: { options[$0] == nil }) {
                return "[\(missing)] required property is missing"
            }
            let unknown = options.keys.filter { !known.required.contains($0) && !known.optional.contains($0) }.sorted()
            if !unknown.isEmpty {
                return "processor [\(type)] doesn't support one or more provided configuration parameters \(unknown)"
            }
        }
        return nil
    }

    /// The failure reason when `index`'s template names a default pipeline that does not exist.
    func missingDefaultPipeline(for index: String) -> String? {
        let settings = simulatedTemplate(for: index)?["settings"]
        guard let pipeline = settings?["index"]?["default_pipeline"]?.stringValue,
              pipeline != "_none", ingestPipelines[pipeline] == nil, !Self.builtInPipelines.contains(pipeline) else {
            return nil
        }
        return "pipeline with id [\(pipeline)] does not exist"
    }
}

extension FakeElasticsearch {
    /// The stored body of an ingest pipeline.
    public func storedIngestPipeline(_ name: String) -> JSONValue? { withState { $0.ingestPipelines[name] } }
}
